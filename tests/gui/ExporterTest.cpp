// Exports: PNG at the asked size and DPI and not blank, SVG that parses as XML with paths and
// text, PDF that pdftoppm converts, CSV beside them; failures leave nothing half-written.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>

#include <set>

#include <csignal>

#include <sys/resource.h>

#include "gui/plot/Exportable.h"
#include "gui/plot/Exporter.h"
#include "GuiTestSupport.h"

using namespace flowscope::gui;
using flowscope::test::SvgSummary;
using flowscope::test::summarizeSvg;
using flowscope::test::TempFolder;

namespace {

class Figure : public Exportable {
 public:
  QString exportName() const override { return "figure"; }
  QSize exportSize() const override { return {400, 300}; }
  void renderExport(QPainter& p, const QRectF& r) override {
    p.fillRect(r, Qt::white);
    p.setPen(QPen(Qt::blue, 2));
    p.drawLine(r.topLeft() + QPointF(20, 20), r.bottomRight() - QPointF(20, 20));
    p.setPen(Qt::black);
    p.drawText(QPointF(30, 40), "loss vs step");
  }
  QString exportCsv() const override { return "step,loss\n1,0.5\n2,0.25\n"; }
};

}  // namespace

TEST(Exporter, WritesAllFormatsWithTheRightProperties) {
  TempFolder tmp;
  Figure fig;
  ExportOptions o;
  o.size = QSize(500, 250);
  o.dpi = 192;
  const QStringList files = Exporter::exportAll(fig, tmp.path(), o);
  ASSERT_EQ(files.size(), 4);

  QImage png(tmp.file("figure.png"));
  ASSERT_FALSE(png.isNull());
  EXPECT_EQ(png.size(), QSize(1000, 500));  // 500 x 250 at 192 / 96
  EXPECT_NEAR(png.dotsPerMeterX() * 0.0254, 192, 1);
  std::set<QRgb> colors;
  for (int y = 0; y < png.height(); y += 7)
    for (int x = 0; x < png.width(); x += 7) colors.insert(png.pixel(x, y));
  EXPECT_GT(colors.size(), 2u);

  const SvgSummary svg = summarizeSvg(tmp.file("figure.svg"));
  EXPECT_TRUE(svg.error.isEmpty()) << svg.error.toStdString();
  EXPECT_GT(svg.vectors(), 0);
  EXPECT_GT(svg.texts, 0);  // text stays text

  QFile pdf(tmp.file("figure.pdf"));
  ASSERT_TRUE(pdf.open(QIODevice::ReadOnly));
  EXPECT_TRUE(pdf.read(5).startsWith("%PDF-"));
  if (!QStandardPaths::findExecutable("pdftoppm").isEmpty()) {
    const int rc = QProcess::execute("pdftoppm", {"-png", "-r", "50", tmp.file("figure.pdf"), tmp.file("page")});
    EXPECT_EQ(rc, 0);
    EXPECT_FALSE(QImage(tmp.file("page-1.png")).isNull());
  }
  QFile csv(tmp.file("figure.csv"));
  ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
  EXPECT_EQ(csv.readAll(), "step,loss\n1,0.5\n2,0.25\n");
}

TEST(Exporter, FailureNamesTheFileAndLeavesNothingBehind) {
  TempFolder tmp;
  Figure fig;
  QFile blocker(tmp.file("blocker"));
  ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
  blocker.close();
  try {
    Exporter::exportAll(fig, tmp.file("blocker/sub"));  // a file where a folder should be
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_TRUE(QString(e.what()).contains("blocker/sub"));
  }
  EXPECT_EQ(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

TEST(Exporter, AFullDiskNamesTheOsReasonNotTheEncoderAndLeavesNoFile) {
  // A file-size limit fails writes past 4 KiB the way a full disk fails them (EFBIG, not
  // ENOSPC, but through the same path); SIGXFSZ is ignored so the write returns the error.
  TempFolder tmp;
  Figure fig;
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    Exporter::exportPng(fig, tmp.file("big.png"), QSize(1600, 1200), 192);
  } catch (const std::exception& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, oldHandler);
  EXPECT_NE(message.find("big.png: cannot write ("), std::string::npos) << message;
  EXPECT_EQ(message.find("encoding"), std::string::npos) << message;
  EXPECT_TRUE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}
