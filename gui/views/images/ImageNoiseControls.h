#pragma once
// Which noise the image views start from and the class condition: the seed (shown and
// editable), how many samples, the class for the whole grid or cycling over the rows, and the
// classifier-free guidance scale. One widget, shared by the path strip and the NFE strip.

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

#include "core/api/ImageQueries.h"

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace flowscope::gui {

class ImageNoiseControls : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kUnconditional = -1, kCycleClasses = -2;

  explicit ImageNoiseControls(int defaultCount, QWidget* parent = nullptr);
  /// The noise and condition for a model with `classes` classes (0: unconditional model).
  ImageNoise noise(int64_t classes) const;
  /// The class names offered (empty: the class picker is disabled).
  void setClassNames(const QStringList& names);

  void setSeed(uint64_t seed);
  uint64_t seed() const;
  void setCount(int count);
  int count() const;
  /// kUnconditional, kCycleClasses or a class index.
  void setClassChoice(int choice);
  int classChoice() const;
  void setGuidance(double w);
  double guidance() const;

  QJsonObject saveState() const;
  void restoreState(const QJsonObject& state);

 Q_SIGNALS:
  void changed();

 private:
  QSpinBox* seed_;
  QSpinBox* count_;
  QComboBox* class_;
  QDoubleSpinBox* guidance_;
};

}  // namespace flowscope::gui
