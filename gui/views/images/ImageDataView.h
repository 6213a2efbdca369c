#pragma once
// The image data browser: a page of a dataset's images with their labels, by split and class,
// for picking what to train on. The dataset (data.name, data.root) follows the experiment in
// the editor and can be sent back to it. Pages are read in the background.

#include <QJsonObject>
#include <QWidget>

#include <memory>

#include "core/api/ImageQueries.h"
#include "core/config/ExperimentConfig.h"
#include "gui/plot/TileGridFigure.h"
#include "gui/plot/TileGrid.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace flowscope::gui {

class AsyncQuery;
class TileGridCanvas;

class ImageDataView : public QWidget, public TileGridFigure {
  Q_OBJECT
 public:
  static constexpr int kPageSize = 64;

  explicit ImageDataView(AsyncQuery* queries, QWidget* parent = nullptr);

  /// The dataset to browse (an image dataset of the experiment; other data is ignored).
  void setData(const DataConfig& data);
  DataConfig data() const;
  void setSplit(const QString& split);  ///< "train" | "test"
  void setClassFilter(int64_t cls);     ///< -1: all classes
  void setPage(int page);
  const DatasetPage* page() const { return page_.get(); }
  TileGrid grid() const;

  bool isBusy() const override { return busy_; }
  QString failure() const override { return failure_; }
  QString exportName() const override { return "image-data"; }
  TileGrid figureGrid() const override;
  QFont figureFont() const override { return font(); }
  QString exportCsv() const override;

 Q_SIGNALS:
  /// "Use in experiment": the experiment's data.name and data.root should become these.
  void useRequested(const DataConfig& data);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void resetClasses();
  void request();
  void redraw();

  AsyncQuery* queries_;
  DataConfig data_;
  QComboBox* dataset_;
  QLineEdit* root_;
  QComboBox* split_;
  QComboBox* class_;
  QSpinBox* page_spin_;
  QLabel* status_;
  TileGridCanvas* canvas_;
  std::shared_ptr<const DatasetPage> page_;
  bool busy_ = false;
  QString failure_;
};

}  // namespace flowscope::gui
