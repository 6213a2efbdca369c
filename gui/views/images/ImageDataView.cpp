#include "gui/views/images/ImageDataView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>


#include "core/registry/Registries.h"
#include "gui/services/AsyncQuery.h"
#include "gui/views/images/TileGridCanvas.h"

namespace flowscope::gui {

ImageDataView::ImageDataView(AsyncQuery* queries, QWidget* parent) : QWidget(parent), queries_(queries) {
  setObjectName("imageDataView");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  dataset_ = new QComboBox(this);
  for (const Choice& c : datasetRegistry().choices())
    if (c.hasTag("images")) dataset_->addItem(QString::fromStdString(c.name));
  root_ = new QLineEdit(this);
  root_->setPlaceholderText("data.root (empty: the dataset's default, e.g. Debian's Fashion-MNIST)");
  split_ = new QComboBox(this);
  split_->addItems({"train", "test"});
  class_ = new QComboBox(this);
  page_spin_ = new QSpinBox(this);
  page_spin_->setRange(0, 0);
  auto* use = new QPushButton("Use in experiment", this);
  use->setToolTip("Set the experiment's data.name and data.root to this dataset");
  for (QWidget* w : std::initializer_list<QWidget*>{new QLabel("Dataset", this), dataset_, root_, new QLabel("Split", this), split_,
                                                    new QLabel("Class", this), class_, new QLabel("Page", this), page_spin_, use})
    row->addWidget(w);
  layout->addLayout(row);
  status_ = new QLabel(this);
  layout->addWidget(status_);
  canvas_ = new TileGridCanvas(this);
  layout->addWidget(canvas_, 1);
  data_.name = dataset_->currentText().toStdString();
  resetClasses();
  auto changed = [this] {
    data_.name = dataset_->currentText().toStdString();
    data_.root = root_->text().toStdString();
    resetClasses();
    page_spin_->setValue(0);
    request();
  };
  connect(dataset_, &QComboBox::currentIndexChanged, this, changed);
  connect(root_, &QLineEdit::editingFinished, this, changed);
  connect(split_, &QComboBox::currentIndexChanged, this, [this] { request(); });
  connect(class_, &QComboBox::currentIndexChanged, this, [this] {
    page_spin_->setValue(0);
    request();
  });
  connect(page_spin_, &QSpinBox::valueChanged, this, [this] { request(); });
  connect(use, &QPushButton::clicked, this, [this] { Q_EMIT useRequested(data_); });
  redraw();
}

void ImageDataView::setData(const DataConfig& data) {
  if (!isImageData(data)) return;
  {
    const QSignalBlocker a(dataset_), b(root_);
    dataset_->setCurrentText(QString::fromStdString(data.name));
    root_->setText(QString::fromStdString(data.root));
  }
  data_ = data;
  resetClasses();
  request();
}

void ImageDataView::resetClasses() {
  const int64_t keep = class_->currentData().isValid() ? class_->currentData().toLongLong() : -1;
  const QSignalBlocker block(class_);
  class_->clear();
  class_->addItem("all classes", -1);
  const std::vector<std::string> names = imageClassNames(data_);
  for (size_t k = 0; k < names.size(); ++k)
    class_->addItem(QString("%1: %2").arg(k).arg(QString::fromStdString(names[k])), static_cast<qlonglong>(k));
  const int i = class_->findData(static_cast<qlonglong>(keep));
  class_->setCurrentIndex(i >= 0 ? i : 0);
}

void ImageDataView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!page_ && !busy_ && failure_.isEmpty()) request();  // the first look reads the first page
}

DataConfig ImageDataView::data() const { return data_; }
void ImageDataView::setSplit(const QString& split) { split_->setCurrentText(split); }
void ImageDataView::setClassFilter(int64_t cls) {
  const int i = class_->findData(static_cast<qlonglong>(cls));
  if (i >= 0) class_->setCurrentIndex(i);
}
void ImageDataView::setPage(int page) { page_spin_->setValue(page); }

void ImageDataView::request() {
  const DataConfig data = data_;
  const std::string split = split_->currentText().toStdString();
  const int64_t cls = class_->currentData().isValid() ? class_->currentData().toLongLong() : -1;
  const int64_t first = static_cast<int64_t>(page_spin_->value()) * kPageSize;
  busy_ = true;
  status_->setText("reading " + QString::fromStdString(data.name) + "...");
  queries_->submit<std::shared_ptr<const DatasetPage>>(
      "imagedata",
      [data, split, first, cls](const std::atomic<bool>&) {
        return std::make_shared<const DatasetPage>(datasetPage(data, split, first, kPageSize, cls));
      },
      [this](std::shared_ptr<const DatasetPage> page) {
        busy_ = false;
        failure_.clear();
        page_ = std::move(page);
        const int pages = static_cast<int>((page_->total + kPageSize - 1) / kPageSize);
        {
          const QSignalBlocker block(page_spin_);
          page_spin_->setRange(0, std::max(0, pages - 1));
        }
        status_->setText(QString("%1 images in %2 (%3)").arg(page_->total).arg(split_->currentText(),
                                                                               QString::fromStdString(page_->source)));
        redraw();
      },
      [this](QString error) {
        busy_ = false;
        page_.reset();
        failure_ = error;  // e.g. the dataset's files are not there: the message names them
        status_->setText(error);
        redraw();
      });
}

TileGrid ImageDataView::grid() const {
  TileGrid g;
  g.note = failure_.isEmpty() ? QString("Choose an image dataset.") : failure_;
  if (!page_ || page_->images.count == 0) return g;
  const ImageBatch& b = page_->images;
  g.channels = static_cast<int>(b.shape.channels);
  g.height = static_cast<int>(b.shape.height);
  g.width = static_cast<int>(b.shape.width);
  g.title = QString("%1 (%2), page %3").arg(QString::fromStdString(data_.name), split_->currentText()).arg(page_spin_->value());
  const std::vector<std::string> names = imageClassNames(data_);
  const int64_t cols = 8;
  for (int64_t start = 0; start < b.count; start += cols) {
    TileRow row{QString("#%1").arg(static_cast<int64_t>(page_spin_->value()) * kPageSize + start), QColor(), {}};
    for (int64_t i = start; i < std::min(b.count, start + cols); ++i) {
      Tile t;
      t.pixels.assign(b.image(i), b.image(i) + b.shape.size());
      if (static_cast<size_t>(i) < page_->labels.size()) {
        const auto l = page_->labels[static_cast<size_t>(i)];
        t.caption = static_cast<size_t>(l) < names.size() ? QString::fromStdString(names[static_cast<size_t>(l)]) : QString::number(l);
      }
      row.tiles.push_back(std::move(t));
    }
    g.rows.push_back(std::move(row));
  }
  return g;
}

void ImageDataView::redraw() { canvas_->setGrid(grid()); }

TileGrid ImageDataView::figureGrid() const { return grid(); }

QString ImageDataView::exportCsv() const {
  QString csv = "index,label\n";
  if (!page_) return csv;
  const int64_t first = static_cast<int64_t>(page_spin_->value()) * kPageSize;
  for (size_t i = 0; i < page_->labels.size(); ++i) csv += QString("%1,%2\n").arg(first + static_cast<int64_t>(i)).arg(page_->labels[i]);
  return csv;
}

}  // namespace flowscope::gui
