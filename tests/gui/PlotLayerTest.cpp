// The plot layer (gui/plot) as numbers: tick labels that read back as their values, log ticks at
// powers, layouts whose text stays inside the figure without overlaps at every size, zoom and pan
// arithmetic, and chart hit-testing.

#include <gtest/gtest.h>

#include <QApplication>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

#include <cmath>
#include <set>

#include "gui/plot/Axis.h"
#include "gui/plot/ChartZoom.h"
#include "gui/plot/Colormap.h"
#include "gui/plot/Legend.h"
#include "gui/plot/LineChart.h"
#include "gui/plot/PlotFrame.h"
#include "gui/plot/TickFormat.h"

using namespace flowscope::gui;

namespace {

/// Reads a label back: U+2212 minus, "m×10ⁿ", "10ⁿ".
double parseLabel(QString s) {
  static const QString sup = QString::fromUtf8("⁰¹²³⁴⁵⁶⁷⁸⁹");
  s.replace(QChar(0x2212), '-');
  s.replace(QChar(0x207B), QString::fromUtf8("⁻"));
  double mantissa = 1;
  int times = s.indexOf(QChar(0x00D7));
  QString power;
  if (times >= 0) {
    mantissa = s.left(times).toDouble();
    power = s.mid(times + 1);
  } else if (s.startsWith("10") && s.size() > 2 && (sup.contains(s[2]) || s[2] == QChar(0x207B))) {
    power = s;
  } else if (s.startsWith("-10") && s.size() > 3 && (sup.contains(s[3]) || s[3] == QChar(0x207B))) {
    mantissa = -1;
    power = s.mid(1);
  } else {
    bool ok = false;
    const double v = s.toDouble(&ok);
    EXPECT_TRUE(ok) << s.toStdString();
    return v;
  }
  EXPECT_TRUE(power.startsWith("10")) << s.toStdString();
  int sign = 1, e = 0;
  for (QChar c : power.mid(2)) {
    if (c == QChar(0x207B)) sign = -1;
    else e = e * 10 + static_cast<int>(sup.indexOf(c));
  }
  return mantissa * std::pow(10.0, sign * e);
}

PlotStyle testStyle() { return PlotStyle::forExport(QApplication::font()); }

bool overlaps(const QRectF& a, const QRectF& b) { return a.intersected(b).width() > 0.5 && a.intersected(b).height() > 0.5; }

}  // namespace

TEST(TickFormat, LabelsReadBackAsTheirValuesAndDifferBetweenNeighbours) {
  const std::vector<std::pair<double, double>> ranges{{-4.5, 4.5}, {0, 1e-4}, {0.001, 0.0037}, {-2e6, 3e6},
                                                      {99.5, 100.5}, {0, 7}, {-1, -0.2}, {1e5, 1.0004e5}};
  for (const auto& [lo, hi] : ranges) {
    const Axis axis{lo, hi, AxisScale::Linear, {}};
    const auto ticks = axis.ticks(600, 60);
    ASSERT_GE(ticks.size(), 3u) << lo << ".." << hi;
    const double step = ticks[1].value - ticks[0].value;
    std::set<QString> seen;
    for (const Tick& t : ticks) {
      EXPECT_TRUE(seen.insert(t.label).second) << "duplicate label " << t.label.toStdString();
      EXPECT_NEAR(parseLabel(t.label), t.value, step * 1e-6) << t.label.toStdString();
      EXPECT_FALSE(t.label.contains('-')) << "ASCII hyphen instead of a minus: " << t.label.toStdString();
    }
  }
}

TEST(TickFormat, UsesTheMinusSignAndPowersOfTen) {
  EXPECT_EQ(formatTick(-2, 1), QString::fromUtf8("−2"));
  EXPECT_EQ(formatTick(0.5, 0.5), "0.5");
  EXPECT_EQ(formatTick(1e-5, 1e-5), QString::fromUtf8("10⁻⁵"));
  EXPECT_EQ(formatTick(2e-5, 1e-5), QString::fromUtf8("2×10⁻⁵"));
  EXPECT_EQ(formatTick(1e-17, 0.5), "0");  // rounding noise at zero
  EXPECT_EQ(formatValue(-0.000123456), QString::fromUtf8("−1.2346×10⁻⁴"));
}

TEST(Axis, LogTicksAreLabeledPowersWithUnlabeledMinors) {
  const Axis axis{1e-6, 1.0, AxisScale::Log, {}};
  const auto ticks = axis.ticks(400, 30);
  int majors = 0;
  double last = 0;
  for (const Tick& t : ticks) {
    EXPECT_GE(t.value, axis.lo * (1 - 1e-9));
    EXPECT_LE(t.value, axis.hi * (1 + 1e-9));
    EXPECT_GT(t.value, last);  // ascending
    last = t.value;
    if (t.major) {
      ++majors;
      const double e = std::log10(t.value);
      EXPECT_NEAR(e, std::round(e), 1e-9) << "major tick not at a power of ten";
      EXPECT_NEAR(parseLabel(t.label), t.value, t.value * 1e-9);
    } else {
      EXPECT_TRUE(t.label.isEmpty());
    }
  }
  EXPECT_EQ(majors, 7);
  // Within one decade the 2x and 5x ticks carry labels, so at least two values are readable.
  const auto narrow = Axis{1.5e-3, 8e-3, AxisScale::Log, {}}.ticks(300, 30);
  int labeled = 0;
  for (const Tick& t : narrow) labeled += !t.label.isEmpty();
  EXPECT_GE(labeled, 2);
}

TEST(Axis, LogBaseTwoTicksArePowersOfTwo) {
  Axis nfe{1, 64, AxisScale::Log, "NFE", 2};
  const auto ticks = nfe.ticks(500, 30);
  ASSERT_EQ(ticks.size(), 7u);
  for (size_t k = 0; k < ticks.size(); ++k) {
    EXPECT_DOUBLE_EQ(ticks[k].value, std::pow(2.0, static_cast<double>(k)));
    EXPECT_EQ(ticks[k].label, QString::number(1 << k));
  }
  // Crowded: every other power, never two labels closer than the spacing.
  const auto crowded = Axis{1, 4096, AxisScale::Log, "", 2}.ticks(150, 30);
  for (size_t k = 1; k < crowded.size(); ++k)
    EXPECT_GE((Axis{1, 4096, AxisScale::Log, {}}.fraction(crowded[k].value) -
               Axis{1, 4096, AxisScale::Log, {}}.fraction(crowded[k - 1].value)) * 150, 29.0);
}

TEST(PlotFrame, TextStaysInsideAndApartAtEveryExportSize) {
  const Colormap viridis = Colormap::byName("viridis");
  for (const QSizeF size : {QSizeF(320, 240), QSizeF(900, 760), QSizeF(2400, 1800), QSizeF(260, 700)}) {
    for (const bool bar : {false, true}) {
      PlotDecor d;
      d.title = "Density p_t of checkerboard-fm-ot (step 20000) at t = 0.50, 100,000 particles";
      d.x = {-12345.6, 12345.6, AxisScale::Linear, "x₁"};
      d.y = {1e-7, 3.0, AxisScale::Log, "mean ‖x − x_ref‖² (log scale)"};
      d.equalAspect = false;
      if (bar) d.colorbar = ColorbarSpec{&viridis.lut(), Axis{0, 0.0456, AxisScale::Linear, "p_t(x), histogram"}};
      const PlotFrame f(QRectF(QPointF(10, 20), size), d, testStyle());
      const QRectF target = f.target().adjusted(-0.5, -0.5, 0.5, 0.5);
      EXPECT_TRUE(target.contains(f.plot())) << size.width() << "x" << size.height();
      if (bar) {
        EXPECT_TRUE(target.contains(f.colorbarRect()));
      }
      const auto rects = f.textRects();
      ASSERT_GE(rects.size(), 5u);
      for (size_t i = 0; i < rects.size(); ++i) {
        EXPECT_TRUE(target.contains(rects[i])) << "text " << i << " clipped at " << size.width() << "x" << size.height();
        EXPECT_FALSE(overlaps(rects[i], f.plot())) << "text " << i << " over the plot";
        for (size_t j = i + 1; j < rects.size(); ++j)
          EXPECT_FALSE(overlaps(rects[i], rects[j])) << "texts " << i << " and " << j << " overlap at " << size.width();
      }
    }
  }
}

TEST(PlotFrame, TitleClearsTheTopTickLabelsOfTheAxisAndTheColorbar) {
  // A y tick and a colorbar tick exactly at the plot's top put half a label above it; a title as
  // wide as the figure must stay clear of both (it once overlapped them by 2 px at 480x320).
  const Colormap viridis = Colormap::byName("viridis");
  for (const QSizeF size : {QSizeF(480, 320), QSizeF(1200, 800)}) {
    PlotDecor d;
    d.title = QString("residual v_t − u_t at t = 1.00 — a run with a long name, step 300 ").repeated(3);
    d.x = {-4, 4, AxisScale::Linear, "x₁"};
    d.y = {-4, 4, AxisScale::Linear, "x₂"};
    d.equalAspect = true;
    d.colorbar = ColorbarSpec{&viridis.lut(), Axis{0, 0.2, AxisScale::Linear, "|u|"}};
    const PlotFrame f(QRectF(QPointF(0, 0), size), d, testStyle());
    ASSERT_EQ(f.yTicks().back().value, 4.0);
    const auto rects = f.textRects();
    for (size_t i = 0; i < rects.size(); ++i)
      for (size_t j = i + 1; j < rects.size(); ++j)
        EXPECT_FALSE(overlaps(rects[i], rects[j])) << "texts " << i << " and " << j << " at " << size.width();
  }
}

TEST(PlotFrame, EqualAspectKeepsDataUnitsSquareAndMapsRoundTrip) {
  PlotDecor d;
  d.x = {-4, 4, AxisScale::Linear, "x₁"};
  d.y = {-2, 2, AxisScale::Linear, "x₂"};
  d.equalAspect = true;
  const PlotFrame f(QRectF(0, 0, 800, 800), d, testStyle());
  EXPECT_NEAR(f.plot().width() / f.plot().height(), 2.0, 1e-9);
  const QPointF px = f.map(1.25, -0.5);
  const QPointF back = f.unmap(px);
  EXPECT_NEAR(back.x(), 1.25, 1e-9);
  EXPECT_NEAR(back.y(), -0.5, 1e-9);
  EXPECT_NEAR(f.map(-4, -2).x(), f.plot().left(), 1e-9);
  EXPECT_NEAR(f.map(-4, -2).y(), f.plot().bottom(), 1e-9);
}

TEST(PlotFrame, ColorbarTitleDoesNotCollideWithItsLabels) {
  // The bar's title is drawn beyond its widest label: paint and look for title pixels between the
  // bar and the label column's right edge.
  const Colormap viridis = Colormap::byName("viridis");
  PlotDecor d;
  d.x = {0, 1, AxisScale::Linear, {}};
  d.y = {0, 1, AxisScale::Linear, {}};
  d.colorbar = ColorbarSpec{&viridis.lut(), Axis{0, 123456.0, AxisScale::Linear, "TITLE"}};
  const PlotFrame f(QRectF(0, 0, 500, 400), d, testStyle());
  const double reserved = colorbar::reservedWidth(*d.colorbar, f.plot().height(), testStyle());
  EXPECT_LE(f.plot().right() + reserved, 500.0);
  QImage image(500, 400, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter p(&image);
  colorbar::paint(p, f.colorbarRect(), *d.colorbar, testStyle());
  p.end();
  const QFontMetricsF fm(testStyle().font);
  double labels = 0;
  for (const Tick& t : d.colorbar->axis.ticks(f.plot().height(), std::max(64.0, fm.height() * 4.5)))
    labels = std::max(labels, fm.horizontalAdvance(t.label));
  ASSERT_GT(labels, 10);
  const int titleColumn = static_cast<int>(f.colorbarRect().right() + testStyle().tickLength + 3 + labels + 6 + 1);
  int inkInTitleColumn = 0;
  for (int y = 0; y < 400; ++y)
    for (int x = titleColumn; x < std::min(500, titleColumn + static_cast<int>(fm.height())); ++x)
      inkInTitleColumn += qGray(image.pixel(x, y)) < 128;
  EXPECT_GT(inkInTitleColumn, 10) << "the title is not where the layout reserved room for it";
}

TEST(Legend, RowsWrapToTheWidth) {
  std::vector<LegendEntry> entries;
  for (int i = 0; i < 6; ++i) entries.push_back({QString("run number %1").arg(i), Qt::red});
  const Legend legend(entries, testStyle());
  const double wide = legend.height(5000), narrow = legend.height(300);
  EXPECT_GT(wide, 0);
  EXPECT_GE(narrow, 3 * (wide - 6));  // at 300 px at most two entries share a row
  EXPECT_EQ(Legend({}, testStyle()).height(300), 0);
}

// The functions' contract is about the frame they were given: the returned range, laid over that
// frame's plot rectangle, puts the same data under the same pixels. (A relaid-out frame may move
// the plot by a few pixels when tick labels change width.)
double along(const Axis& a, double lo, double hi, double v) {
  return a.isLog() ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
}

TEST(ChartZoom, WheelZoomKeepsTheDataUnderTheCursor) {
  for (const AxisScale yScale : {AxisScale::Linear, AxisScale::Log}) {
    LineChart c;
    c.yScale = yScale;
    c.series.push_back({"a", "y", Qt::blue, Qt::SolidLine, 1.6, Marker::None, {{0, 1e-3}, {100, 1.0}}});
    const PlotFrame f = c.frame(QRectF(0, 0, 640, 480), testStyle());
    const QRectF plot = f.plot();
    const QPointF cursor(plot.left() + 0.3 * plot.width(), plot.top() + 0.6 * plot.height());
    const QPointF under = f.unmap(cursor);
    const DataRange r = zoomAbout(f, cursor, 0.5);
    EXPECT_NEAR(along(f.decor().x, r.x0, r.x1, under.x()), 0.3, 1e-9);
    EXPECT_NEAR(along(f.decor().y, r.y0, r.y1, under.y()), 0.4, 1e-9);
    EXPECT_NEAR(r.x1 - r.x0, (f.decor().x.hi - f.decor().x.lo) * 0.5, 1e-9);
    if (yScale == AxisScale::Log) {  // half the decades, not half the values
      EXPECT_NEAR(std::log10(r.y1 / r.y0), std::log10(f.decor().y.hi / f.decor().y.lo) * 0.5, 1e-9);
    }
  }
}

TEST(ChartZoom, FlatDragZoomsXOnlyAndPanMovesByThePixels) {
  LineChart c;
  c.series.push_back({"a", "y", Qt::blue, Qt::SolidLine, 1.6, Marker::None, {{0, 0}, {10, 5}}});
  const PlotFrame f = c.frame(QRectF(0, 0, 640, 480), testStyle());
  const QRectF plot = f.plot();
  const auto flat = zoomToDrag(f, QPointF(plot.left() + 100, plot.center().y()), QPointF(plot.left() + 300, plot.center().y() + 3));
  ASSERT_TRUE(flat.has_value());
  EXPECT_NEAR(flat->y0, f.decor().y.lo, 1e-9);
  EXPECT_NEAR(flat->y1, f.decor().y.hi, 1e-9);
  EXPECT_NEAR(flat->x0, f.unmap(QPointF(plot.left() + 100, 0)).x(), 1e-9);
  EXPECT_NEAR(flat->x1, f.unmap(QPointF(plot.left() + 300, 0)).x(), 1e-9);
  const auto narrow = zoomToDrag(f, QPointF(plot.center().x(), plot.top() + 50), QPointF(plot.center().x() + 2, plot.top() + 150));
  ASSERT_TRUE(narrow.has_value());
  EXPECT_NEAR(narrow->x0, f.decor().x.lo, 1e-9);
  EXPECT_FALSE(zoomToDrag(f, QPointF(200, 200), QPointF(203, 202)).has_value());  // a click
  // Dragging content 37 px right and 12 px up moves the view left and down by as much data.
  const DataRange moved = panBy(f, QPointF(37, -12));
  const double sx = (f.decor().x.hi - f.decor().x.lo) / plot.width(), sy = (f.decor().y.hi - f.decor().y.lo) / plot.height();
  EXPECT_NEAR(moved.x0, f.decor().x.lo - 37 * sx, 1e-9);
  EXPECT_NEAR(moved.x1, f.decor().x.hi - 37 * sx, 1e-9);
  EXPECT_NEAR(moved.y0, f.decor().y.lo - 12 * sy, 1e-9);
}

TEST(LineChart, FitsDrawablePointsAndFindsTheNearestOne) {
  LineChart c;
  c.yScale = AxisScale::Log;
  c.series.push_back({"a", "err", Qt::blue, Qt::SolidLine, 1.6, Marker::None, {{1, 0.1}, {2, -1}, {4, 0.01}, {8, NAN}}});
  c.series.push_back({"b", "err", Qt::red, Qt::SolidLine, 1.6, Marker::None, {{1, 1.0}, {2, 0.5}}});
  const DataRange r = c.fittedRange(0);
  EXPECT_DOUBLE_EQ(r.x0, 1);
  EXPECT_DOUBLE_EQ(r.x1, 4);  // x = 8 has a NaN y
  EXPECT_NEAR(r.y0, 0.01, 1e-12);
  EXPECT_NEAR(r.y1, 1.0, 1e-12);
  const PlotFrame f = c.frame(QRectF(0, 0, 600, 400), testStyle());
  const auto hit = c.nearest(f, f.map(2, 0.5) + QPointF(3, -2), 20);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->series, 1u);
  EXPECT_EQ(hit->index, 1);
  EXPECT_FALSE(c.nearest(f, f.map(2, 0.5) + QPointF(40, 40), 20).has_value());
}
