#include "gui/plot/Exporter.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <stdexcept>

#include "core/io/Npy.h"

namespace flowscope::gui {
namespace {

QSize sizeOr(Exportable& panel, QSize size) { return size.isEmpty() ? panel.exportSize() : size; }

void commit(QSaveFile& file, const QString& path) {
  if (!file.commit())
    throw std::runtime_error(path.toStdString() + ": cannot write (" + file.errorString().toStdString() + ")");
}

/// Writes all of `bytes` or throws with the OS's reason (a full disk says "No space left on
/// device", not an encoder error); the target is untouched on failure.
void writeAll(const QByteArray& bytes, const QString& path) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    throw std::runtime_error(path.toStdString() + ": cannot open for writing (" +
                             file.errorString().toStdString() + ")");
  if (file.write(bytes) != bytes.size()) {
    const std::string why = file.errorString().toStdString();
    file.cancelWriting();
    throw std::runtime_error(path.toStdString() + ": cannot write (" + why + ")");
  }
  commit(file, path);
}

void openOrThrow(QSaveFile& file, const QString& path) {
  if (!file.open(QIODevice::WriteOnly))
    throw std::runtime_error(path.toStdString() + ": cannot open for writing (" +
                             file.errorString().toStdString() + ")");
}

}  // namespace

void Exporter::exportPng(Exportable& panel, const QString& path, QSize size, double dpi) {
  size = sizeOr(panel, size);
  const double scale = dpi / 96.0;
  QImage image(QSize(qRound(size.width() * scale), qRound(size.height() * scale)), QImage::Format_ARGB32_Premultiplied);
  image.setDotsPerMeterX(qRound(dpi / 0.0254));
  image.setDotsPerMeterY(qRound(dpi / 0.0254));
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.scale(scale, scale);
    panel.renderExport(painter, QRectF(QPointF(0, 0), QSizeF(size)));
  }
  // Encode in memory first: an encoder writing to a failing device reports only "failed".
  QByteArray png;
  QBuffer buffer(&png);
  buffer.open(QIODevice::WriteOnly);
  if (!image.save(&buffer, "PNG")) throw std::runtime_error(path.toStdString() + ": PNG encoding failed");
  writeAll(png, path);
}

void Exporter::exportSvg(Exportable& panel, const QString& path, QSize size) {
  size = sizeOr(panel, size);
  QSaveFile file(path);
  openOrThrow(file, path);
  QSvgGenerator svg;
  svg.setOutputDevice(&file);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setResolution(96);
  svg.setTitle(panel.exportName());
  svg.setDescription("FlowScope export");
  {
    QPainter painter(&svg);
    painter.setRenderHint(QPainter::Antialiasing);
    panel.renderExport(painter, QRectF(QPointF(0, 0), QSizeF(size)));
  }
  commit(file, path);
}

void Exporter::exportPdf(Exportable& panel, const QString& path, QSize size) {
  size = sizeOr(panel, size);
  QSaveFile file(path);
  openOrThrow(file, path);
  {
    QPdfWriter pdf(&file);
    pdf.setResolution(96);
    pdf.setPageSize(QPageSize(QSizeF(size.width() / 96.0 * 72.0, size.height() / 96.0 * 72.0), QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(panel.exportName());
    pdf.setCreator("FlowScope");
    QPainter painter(&pdf);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRect page = painter.viewport();
    painter.scale(page.width() / static_cast<double>(size.width()), page.height() / static_cast<double>(size.height()));
    panel.renderExport(painter, QRectF(QPointF(0, 0), QSizeF(size)));
  }
  commit(file, path);
}

void Exporter::exportCsv(Exportable& panel, const QString& path) {
  writeAll(panel.exportCsv().toUtf8(), path);
}

QStringList Exporter::exportAll(Exportable& panel, const QString& dir, const ExportOptions& o) {
  if (!QDir().mkpath(dir)) throw std::runtime_error(dir.toStdString() + ": cannot create folder");
  const QString stem = QDir(dir).filePath(panel.exportName());
  QStringList written;
  if (o.png) exportPng(panel, stem + ".png", o.size, o.dpi), written << stem + ".png";
  if (o.svg) exportSvg(panel, stem + ".svg", o.size), written << stem + ".svg";
  if (o.pdf) exportPdf(panel, stem + ".pdf", o.size), written << stem + ".pdf";
  if (o.csv) exportCsv(panel, stem + ".csv"), written << stem + ".csv";
  if (o.npy)
    for (const ExportArray& a : panel.exportArrays()) {
      const QString path = stem + a.suffix + ".npy";
      writeNpy(path.toStdString(), a.shape, a.values.data());  // atomic: temp file, then rename
      written << path;
    }
  return written;
}

}  // namespace flowscope::gui
