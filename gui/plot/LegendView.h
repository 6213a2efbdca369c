#pragma once
// A Legend on screen: a widget as tall as the legend's rows at its width.

#include <QWidget>

#include <vector>

#include "gui/plot/Legend.h"

namespace flowscope::gui {

class LegendView : public QWidget {
  Q_OBJECT
 public:
  explicit LegendView(QWidget* parent = nullptr);
  void setEntries(std::vector<LegendEntry> entries);
  const std::vector<LegendEntry>& entries() const { return entries_; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void fitHeight();
  std::vector<LegendEntry> entries_;
};

}  // namespace flowscope::gui
