#pragma once
// One image at a time: a sample of an image run opened large (whole-factor nearest-neighbour),
// following the view's t, with its own path over t beneath it and the pixel value under the
// mouse (in the data scale and as the 8-bit byte exported PNGs hold). Opened by clicking a tile
// of the path strip; reads the strip's stored path, so it never calls the network.

#include <QWidget>

#include <memory>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGrid.h"

class QLabel;

namespace flowscope::gui {

class TileGridCanvas;

class ImageInspector : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kPathColumns = 9;

  explicit ImageInspector(QWidget* parent = nullptr);
  void show(std::shared_ptr<const ImagePath> path, QString run, int64_t sample, ImageKind kind, double t);
  void setTime(double t);

  /// The big image and the strip along t as numbers (tests read them).
  TileGrid imageGrid() const;
  TileGrid pathGrid() const;
  /// "x 3, y 7: -0.412 (byte 75)" for pixel (x, y) of the shown image, all channels.
  QString readout(int x, int y) const;
  QString lastReadout() const;

 private:
  void redraw();

  std::shared_ptr<const ImagePath> path_;
  QString run_;
  int64_t sample_ = 0;
  ImageKind kind_ = ImageKind::State;
  double t_ = 1;
  TileGridCanvas* image_;
  TileGridCanvas* strip_;
  QLabel* readout_;
};

}  // namespace flowscope::gui
