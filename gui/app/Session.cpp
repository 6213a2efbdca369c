#include "gui/app/Session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <stdexcept>

namespace flowscope::gui {
namespace {

[[noreturn]] void fail(const QString& path, const QString& what) {
  throw std::runtime_error(QString("%1: %2").arg(path, what).toStdString());
}

}  // namespace

SessionData Session::load(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) fail(path, "cannot open session (" + file.errorString() + ")");
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
  if (error.error != QJsonParseError::NoError)
    fail(path, QString("not a valid session file: %1 at byte %2").arg(error.errorString()).arg(error.offset));
  if (!doc.isObject()) fail(path, "expected a JSON object at the top level");
  const QJsonObject root = doc.object();
  if (root.value("format").toString() != "flowscope-session")
    fail(path, "not a FlowScope session (missing \"format\": \"flowscope-session\")");
  const int version = root.value("version").toInt(-1);
  if (version < 1 || version > kVersion)
    fail(path, QString("unsupported session version %1 (this FlowScope reads 1..%2)").arg(version).arg(kVersion));

  const QDir base = QFileInfo(path).absoluteDir();
  SessionData data;
  const QJsonValue runs = root.value("runs");
  if (!runs.isUndefined() && !runs.isArray()) fail(path, "\"runs\" must be an array");
  int index = 0;
  for (const QJsonValue& v : runs.toArray()) {
    if (!v.isObject() || !v.toObject().value("dir").isString())
      fail(path, QString("runs[%1] must be an object with a \"dir\" string").arg(index));
    const QJsonObject o = v.toObject();
    SessionRun r;
    r.runDir = QDir::cleanPath(base.absoluteFilePath(o.value("dir").toString()));
    r.name = o.value("name").toString();
    r.color = QColor(o.value("color").toString());
    data.runs.push_back(r);
    ++index;
  }
  data.experimentYaml = root.value("experiment").toString();
  const QJsonValue t = root.value("time");
  if (!t.isUndefined() && (!t.isDouble() || t.toDouble() < 0 || t.toDouble() > 1))
    fail(path, "\"time\" must be a number in [0, 1]");
  data.time = t.toDouble(1.0);
  data.views = root.value("views").toObject();
  return data;
}

void Session::save(const SessionData& data, const QString& path) {
  const QDir base = QFileInfo(path).absoluteDir();
  QJsonObject root;
  root["format"] = "flowscope-session";
  root["version"] = kVersion;
  QJsonArray runs;
  for (const SessionRun& r : data.runs) {
    QJsonObject o;
    const QString rel = base.relativeFilePath(r.runDir);
    o["dir"] = rel.startsWith("..") ? QDir::cleanPath(r.runDir) : rel;
    o["name"] = r.name;
    o["color"] = r.color.name();
    runs.append(o);
  }
  root["runs"] = runs;
  root["experiment"] = data.experimentYaml;
  root["time"] = data.time;
  root["views"] = data.views;
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) fail(path, "cannot write session (" + file.errorString() + ")");
  file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
  if (!file.commit()) fail(path, "cannot write session (" + file.errorString() + ")");
}

}  // namespace flowscope::gui
