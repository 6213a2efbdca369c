#pragma once
// The NFE strip's data, without a window (Figures 16-17): the same noise solved at growing NFE,
// each image beside a high-accuracy reference from that noise with its per-pixel MSE to it, and
// the adaptive solver's result and NFE; drawn as a TileGrid (a row per sample, a column per NFE).

#include <QString>

#include <memory>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGrid.h"

namespace flowscope::gui {

class ImageNfeScene {
 public:
  void setStrip(std::shared_ptr<const ImageNfeStrip> strip, QString run);
  const ImageNfeStrip* strip() const { return strip_.get(); }
  void setSampleRows(int rows) { rows_ = rows < 1 ? 1 : rows; }
  int sampleRows() const { return rows_; }
  void setNote(QString note) { note_ = std::move(note); }

  TileGrid grid() const;
  /// One CSV row per column: nfe, mean and max per-pixel MSE to the reference.
  QString csv() const;

 private:
  std::shared_ptr<const ImageNfeStrip> strip_;
  QString run_;
  QString note_ = "Choose an image run and press Sample.";
  int rows_ = 4;
};

}  // namespace flowscope::gui
