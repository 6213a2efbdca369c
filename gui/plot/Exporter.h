#pragma once
// Writes an Exportable as PNG (chosen pixel size and DPI), SVG and PDF (vector), and its data as
// CSV beside it, and the arrays an image panel shows as .npy. Every file is written atomically (QSaveFile: temp file, then rename).

#include <QSize>
#include <QString>
#include <QStringList>

#include "gui/plot/Exportable.h"

namespace flowscope::gui {

struct ExportOptions {
  QSize size;        ///< logical size; empty uses exportSize()
  double dpi = 144;  ///< PNG resolution (pixels = size * dpi / 96)
  bool png = true, svg = true, pdf = true, csv = true;
  bool npy = true;  ///< the panel's exportArrays()
};

class Exporter {
 public:
  /// Writes DIR/<name>.{png,svg,pdf,csv}. Returns the files written; throws std::runtime_error
  /// naming the file on failure (nothing half-written is left behind).
  static QStringList exportAll(Exportable& panel, const QString& dir, const ExportOptions& options = {});
  static void exportPng(Exportable& panel, const QString& path, QSize size, double dpi);
  static void exportSvg(Exportable& panel, const QString& path, QSize size);
  static void exportPdf(Exportable& panel, const QString& path, QSize size);
  static void exportCsv(Exportable& panel, const QString& path);
};

}  // namespace flowscope::gui
