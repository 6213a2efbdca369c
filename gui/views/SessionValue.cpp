#include "gui/views/SessionValue.h"

#include <QJsonValue>

#include <cmath>

namespace flowscope::gui {

double sessionNumber(const QJsonObject& o, const QString& key, SessionRange range, double fallback) {
  const QJsonValue v = o.value(key);
  if (!v.isDouble() || !std::isfinite(v.toDouble())) return range.clamp(fallback);
  return range.clamp(v.toDouble());
}

int64_t sessionInteger(const QJsonObject& o, const QString& key, SessionRange range, int64_t fallback) {
  return static_cast<int64_t>(std::llround(sessionNumber(o, key, range, static_cast<double>(fallback))));
}

}  // namespace flowscope::gui
