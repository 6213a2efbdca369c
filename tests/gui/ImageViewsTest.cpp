// The image views' data as numbers: the path strip at stored times is the engine's solve from the
// same noise, runs side by side receive identical noise, scrubbing interpolates without the
// network, exports keep square pixels at whole factors (no blur) with the arrays beside them,
// the 2D views do not list image runs, and sessions round trip.

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>

#include <cmath>

#include "ExportChecks.h"
#include "GuiTestSupport.h"
#include "core/config/ConfigYaml.h"
#include "tests/common/TinyCifar.h"
#include "core/api/ImageQueries.h"
#include "core/io/Npy.h"
#include "gui/plot/Exporter.h"
#include "gui/plot/PlotStyle.h"
#include "gui/plot/TileGridPlot.h"
#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "gui/views/density/DensityView.h"
#include "gui/views/images/ImageCheckpointView.h"
#include "gui/views/images/ImageDataView.h"
#include "gui/views/images/ImageInspector.h"
#include "gui/views/images/ImageInterpolationView.h"
#include "gui/views/images/ImageNfeView.h"
#include "gui/views/images/ImageNoiseControls.h"
#include "gui/views/images/ImagePathScene.h"
#include "gui/views/images/ImagePathView.h"
#include "gui/views/images/LiveSamples.h"
#include "gui/views/images/TileGridCanvas.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::SharedRun;
using flowscope::test::TempFolder;
using flowscope::test::waitUntil;

namespace {
QString otRun() { return flowscope::test::sharedRun(SharedRun::Images); }
QString vpRun() { return flowscope::test::sharedRun(SharedRun::ImagesVp); }

bool settled(const Exportable& view, int ms = 60000) { return waitUntil([&] { return !view.isBusy(); }, ms); }

ImageNoise noiseOf(int64_t count, uint64_t seed) {
  ImageNoise n;
  n.count = count;
  n.seed = seed;
  return n;
}
}  // namespace

TEST(ImagePathScene, AlongTColumnsAtStoredTimesAreTheStoredStates) {
  const FlowModelPtr model = loadFlowModel(otRun().toStdString());
  auto path = std::make_shared<const ImagePath>(computeImagePath(*model, noiseOf(3, 4), 5, {"midpoint", 8}, true));
  ImagePathScene scene;
  scene.setRuns({{"ot", Qt::red, path}});
  scene.setColumns(5);  // the stored times themselves
  scene.setSampleRows(3);
  scene.setShowPrediction(true);
  scene.setTime(0.5);
  const TileGrid g = scene.grid();
  ASSERT_EQ(g.rows.size(), 6u);  // 3 samples x (x_t, x1 prediction)
  EXPECT_EQ(g.columns(), 5);
  EXPECT_EQ(g.highlightedColumn, 2);  // t = 0.5 is the middle column
  EXPECT_EQ(g.height, 28);
  const int64_t d = path->shape.size();
  for (int i = 0; i < 3; ++i)
    for (size_t k = 0; k < 5; ++k) {
      const Tile& state = g.rows[static_cast<size_t>(2 * i)].tiles[k];
      const Tile& pred = g.rows[static_cast<size_t>(2 * i + 1)].tiles[k];
      ASSERT_EQ(static_cast<int64_t>(state.pixels.size()), d);
      EXPECT_EQ(state.pixels, std::vector<float>(path->at(k, i), path->at(k, i) + d)) << i << " " << k;
      EXPECT_EQ(pred.pixels, std::vector<float>(path->at(k, i, ImageKind::Predicted), path->at(k, i, ImageKind::Predicted) + d));
    }
  // At t: every sample at the scrubber's t, interpolated between the stored times around it.
  scene.setLayout(ImagePathScene::Layout::AtT);
  scene.setShowPrediction(false);
  const double t = 0.6;  // between stored times 0.5 and 0.75
  scene.setTime(t);
  const TileGrid at = scene.grid();
  ASSERT_EQ(at.rows.size(), 1u);
  ASSERT_EQ(at.rows[0].tiles.size(), 3u);
  const float w = static_cast<float>((t - path->times[2]) / (path->times[3] - path->times[2]));
  for (int64_t j = 0; j < d; j += 37)
    EXPECT_NEAR(at.rows[0].tiles[1].pixels[static_cast<size_t>(j)],
                path->at(2, 1)[j] + w * (path->at(3, 1)[j] - path->at(2, 1)[j]), 1e-6);
}

TEST(ImagePathView, RunsSideBySideStartFromTheSameNoiseAndDifferAtTheEnd) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  ImagePathView view(&runs, &time, &queries);
  view.resize(1100, 700);
  view.show();
  const int ot = runs.openRun(otRun());
  const int vp = runs.openRun(vpRun());
  ASSERT_GE(ot, 0);
  ASSERT_GE(vp, 0);
  EXPECT_EQ(view.shownRuns(), (QList<int>{ot, vp}));
  view.setShowDifference(true);
  ASSERT_TRUE(settled(view));
  ASSERT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  const ImagePathScene& scene = view.scene();
  ASSERT_EQ(scene.runs().size(), 2u);
  ASSERT_TRUE(scene.runs()[0].path && scene.runs()[1].path);
  // The same eps for both: x0 = priorStd eps (VP's p_0 has std sqrt(1 - alpha_0^2), just below 1).
  const std::vector<float> a = scene.frame(0, 0.0), b = scene.frame(1, 0.0);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), 8u * 784u);
  for (size_t j = 0; j < a.size(); j += 11) ASSERT_NEAR(a[j], b[j], 1e-3 * (1 + std::abs(a[j]))) << j;
  // The difference is ~0 at t = 0 and not at the end, and is |a - b| itself.
  const std::vector<float> d0 = scene.difference(0.0);
  for (float v : d0) ASSERT_LT(v, 1e-3);
  const std::vector<float> d1 = scene.difference(1.0), a1 = scene.frame(0, 1.0), b1 = scene.frame(1, 1.0);
  double maxDiff = 0;
  for (float v : d1) maxDiff = std::max(maxDiff, static_cast<double>(v));
  EXPECT_GT(maxDiff, 1e-2);
  EXPECT_NEAR(d1[100], std::abs(a1[100] - b1[100]), 1e-6);
  // The along-t grid: per sample a row per run and a difference row, one column per time.
  const TileGrid g = scene.grid();
  EXPECT_EQ(g.rows.size(), static_cast<size_t>(3 * scene.sampleRows()));
  EXPECT_TRUE(g.rows[2].tiles[0].difference);
  EXPECT_GT(g.differenceMax, 0.0);
  // Scrubbing draws without new requests: the network is not called.
  const quint64 before = queries.requestCount();
  const std::vector<double> ms = view.benchmarkScrub(20);
  EXPECT_EQ(ms.size(), 20u);
  EXPECT_EQ(queries.requestCount(), before);
  // A new seed is new noise for both rows.
  view.noiseControls()->setSeed(5);
  ASSERT_TRUE(settled(view));
  EXPECT_NE(scene.frame(0, 0.0)[0], a[0]);
  EXPECT_NEAR(scene.frame(0, 0.0)[0], scene.frame(1, 0.0)[0], 1e-3 * (1 + std::abs(scene.frame(0, 0.0)[0])));
}

// A user's own CIFAR-10 (or ImageNet 32) files behind the shipped Table 3 preset give the same
// views in colour: the run trains from the preset with data.root pointed at the files, and the
// path view shows 3 x 32 x 32 images whose channels differ.
TEST(ImagePathView, TheCifarPresetPointedAtTheUsersFilesGivesRgbPaths) {
  TempFolder dir;
  flowscope::test::writeCifarFolder(dir.file("cifar").toStdString(), 8);
  const std::string preset = std::string(FLOWSCOPE_SOURCE_DIR) + "/resources/images/cifar10-fm-ot.yaml";
  // The preset as shipped, with the data where the user has it and a U-Net a CPU test affords.
  const ExperimentConfig c = loadExperiment(
      preset, {"data.root=" + dir.file("cifar").toStdString(), "data.loader_threads=0", "model.channels=8",
               "model.groups=4", "training.steps=4", "training.batch_size=8", "training.checkpoint_every=4",
               "training.device=cpu", "schedule.warmup_steps=0", "evaluation.every=0"});
  EXPECT_EQ(c.model.preset, "cifar10");
  flowscope::test::trainRun(c, dir.file("run"));
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  ImagePathView view(&runs, &time, &queries);
  view.resize(900, 600);
  view.show();
  view.noiseControls()->setCount(2);  // a 32x32 U-Net costs more per image than the 28x28 ones
  ASSERT_GE(runs.openRun(dir.file("run")), 0);
  ASSERT_TRUE(settled(view, 240000));
  ASSERT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  const ImagePathScene& scene = view.scene();
  ASSERT_EQ(scene.runs().size(), 1u);
  ASSERT_TRUE(scene.runs()[0].path);
  EXPECT_EQ(scene.runs()[0].path->shape, (ImageShape{3, 32, 32}));
  const TileGrid g = scene.grid();
  EXPECT_EQ(g.channels, 3);
  // Noise at t = 0 differs between channels: the tiles are drawn in colour, not grey.
  const std::vector<float> x0 = scene.frame(0, 0.0);
  ASSERT_EQ(x0.size() % (3 * 1024), 0u);
  double channelGap = 0;
  for (size_t p = 0; p < 1024; ++p) channelGap += std::abs(x0[p] - x0[1024 + p]);
  EXPECT_GT(channelGap / 1024, 0.1);
}

TEST(ImagePathView, TheTwoDViewsDoNotListImageRuns) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  DensityView density(&runs, &time, &queries);
  const int images = runs.openRun(otRun());
  ASSERT_GE(images, 0);
  EXPECT_EQ(density.run(), -1);  // the density view does not follow an image run
  const int points = runs.openRun(flowscope::test::sharedRun(SharedRun::Tiny));
  EXPECT_EQ(density.run(), points);
  EXPECT_TRUE(settled(density));
  EXPECT_TRUE(density.failure().isEmpty()) << density.failure().toStdString();
}

TEST(ImagePathView, PngExportKeepsSquarePixelsAtAWholeFactorAndWritesTheArrays) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  ImagePathView view(&runs, &time, &queries);
  view.show();
  ASSERT_GE(runs.openRun(otRun()), 0);
  ASSERT_TRUE(settled(view));
  TempFolder tmp;
  ExportOptions o;
  o.dpi = 144;  // 1.5 device pixels per logical pixel: a naive 2x tile would be 3 px, a 3x 4.5 px
  const QStringList files = Exporter::exportAll(view, tmp.path(), o);
  EXPECT_TRUE(files.contains(tmp.file("image-path-states.npy"))) << files.join(" ").toStdString();
  const QImage png(tmp.file("image-path.png"));
  ASSERT_FALSE(png.isNull());
  const QSize size = view.exportSize();
  EXPECT_EQ(png.width(), qRound(size.width() * 1.5));
  const TileGrid grid = view.scene().grid();
  const TileGridPlot plot(grid, PlotStyle::forExport(view.font()));
  const QRectF target(QPointF(0, 0), QSizeF(size));
  const int s = plot.pixelScale(target, 1.5);
  EXPECT_GE(s, 2);
  const std::vector<QRectF> tiles = plot.tileRects(target, 1.5);
  // Every image pixel of a few tiles is an s x s block of exactly its byte.
  for (size_t k : {size_t{0}, size_t{4}, tiles.size() - 1}) {
    const size_t row = k / static_cast<size_t>(grid.columns()), col = k % static_cast<size_t>(grid.columns());
    const Tile& tile = grid.rows[row].tiles[col];
    const int x0 = qRound(tiles[k].left() * 1.5), y0 = qRound(tiles[k].top() * 1.5);
    EXPECT_NEAR(tiles[k].width() * 1.5, 28.0 * s, 1e-9);
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x) {
        const int expected = imageByte(tile.pixels[static_cast<size_t>(y * 28 + x)]);
        for (int dy = 0; dy < s; ++dy)
          for (int dx = 0; dx < s; ++dx)
            ASSERT_EQ(qGray(png.pixel(x0 + x * s + dx, y0 + y * s + dy)), expected)
                << "tile " << k << " pixel " << x << "," << y;
      }
  }
  // The arrays: [runs][columns][N][C][H][W], the pixels drawn.
  const NpyArray states = readNpy(tmp.file("image-path-states.npy").toStdString());
  EXPECT_EQ(states.shape, (std::vector<int64_t>{1, view.scene().columns(), 8, 1, 28, 28}));
  EXPECT_EQ(states.data[0], grid.rows[0].tiles[0].pixels[0]);
  // Text stays inside and apart; the SVG embeds the images and keeps the labels as text.
  for (const QSize& sz : flowscope::test::kExportSizes) EXPECT_TRUE(flowscope::test::textFits(view, sz, 5)) << sz.width();
  const auto svg = flowscope::test::summarizeSvg(tmp.file("image-path.svg"));
  EXPECT_TRUE(svg.error.isEmpty()) << svg.error.toStdString();
  EXPECT_GE(svg.images, 4 * view.scene().columns());
  EXPECT_TRUE(svg.allText.contains("t = 0.50")) << svg.allText.toStdString();
}

TEST(ImagePathView, SessionsRoundTripAndHostileValuesAreClamped) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  ImagePathView view(&runs, &time, &queries);
  const int ot = runs.openRun(otRun());
  const int vp = runs.openRun(vpRun());
  view.setShownRuns({vp, ot});
  view.noiseControls()->setSeed(77);
  view.noiseControls()->setCount(5);
  view.setShowPrediction(true);
  view.setLayoutMode(ImagePathScene::Layout::AtT);
  view.setSolver("rk4 25");
  const QJsonObject state = view.saveState();
  ImagePathView other(&runs, &time, &queries);
  other.restoreState(state);
  EXPECT_EQ(QJsonDocument(other.saveState()).toJson(), QJsonDocument(state).toJson());
  EXPECT_EQ(other.shownRuns(), (QList<int>{vp, ot}));
  QJsonObject hostile = state;
  hostile["noise"] = QJsonObject{{"seed", -5}, {"count", 1e9}, {"class", 1e12}, {"guidance", "x"}};
  hostile["columns"] = 1e6;
  other.restoreState(hostile);
  EXPECT_EQ(other.noiseControls()->count(), 64);
  EXPECT_EQ(other.noiseControls()->seed(), 0u);
  EXPECT_EQ(other.scene().columns(), 17);
}

TEST(ImageNfeView, MseFallsAsNfeRisesAndTheReferenceIsADirectSolve) {
  RunManager runs;
  AsyncQuery queries;
  ImageNfeView view(&runs, &queries);
  view.show();
  const int ot = runs.openRun(otRun());
  ASSERT_GE(ot, 0);
  EXPECT_EQ(view.run(), ot);
  EXPECT_FALSE(view.setNfeList("2,x"));
  ASSERT_TRUE(view.setNfeList("1,2,4,8,16"));
  view.setSolver("euler");
  view.setAdaptive(false);
  view.noiseControls()->setCount(3);
  view.setReferenceSteps(32);  // 128 NFE: far below the columns' errors, and quick on a busy CI core
  view.sample();
  ASSERT_TRUE(settled(view, 120000));
  ASSERT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  const ImageNfeStrip* s = view.scene().strip();
  ASSERT_TRUE(s && s->complete);
  EXPECT_EQ(s->nfe, (std::vector<int64_t>{1, 2, 4, 8, 16}));
  for (size_t c = 1; c < s->meanMse.size(); ++c) EXPECT_LT(s->meanMse[c], s->meanMse[c - 1]) << "NFE " << s->nfe[c];
  ImageNoise noise;
  noise.count = 3;
  noise.seed = 0;
  const ImageBatch direct = sampleImages(*runs.run(ot)->weights, noise, {"rk4", 32});
  ASSERT_EQ(direct.pixels.size(), s->reference.pixels.size());
  for (size_t j = 0; j < direct.pixels.size(); j += 7)  // the worker's thread count may change the rounding
    ASSERT_NEAR(direct.pixels[j], s->reference.pixels[j], 1e-4) << j;
  // The grid: a row per sample, a column per NFE and the reference, MSE captions.
  const TileGrid g = view.scene().grid();
  ASSERT_EQ(g.rows.size(), 3u);
  ASSERT_EQ(g.rows[0].tiles.size(), 6u);
  EXPECT_TRUE(g.rows[0].tiles[0].caption.startsWith("MSE"));
  EXPECT_EQ(g.rows[1].tiles[5].pixels, std::vector<float>(s->reference.image(1), s->reference.image(1) + 784));
  TempFolder tmp;
  const QStringList files = Exporter::exportAll(view, tmp.path());
  EXPECT_TRUE(files.contains(tmp.file("image-nfe-strip-samples.npy")));
  EXPECT_EQ(readNpy(tmp.file("image-nfe-strip-samples.npy").toStdString()).shape, (std::vector<int64_t>{5, 3, 1, 28, 28}));
  EXPECT_TRUE(flowscope::test::textFits(view, QSize(1200, 800), 5));
  // Sessions round trip.
  ImageNfeView other(&runs, &queries);
  other.restoreState(view.saveState());
  EXPECT_EQ(QJsonDocument(other.saveState()).toJson(), QJsonDocument(view.saveState()).toJson());
}

TEST(LiveSamples, TheMonitorShowsEachImageRunsSamplesFromFixedNoise) {
  RunManager runs;
  AsyncQuery queries;
  QWidget monitor;  // as in the training monitor: the panel shows itself when there is something to show
  auto& live = *new LiveSamples(&runs, &queries, &monitor);
  monitor.show();
  EXPECT_FALSE(live.isVisible());  // no image run yet
  ASSERT_GE(runs.openRun(flowscope::test::sharedRun(SharedRun::Tiny)), 0);
  EXPECT_FALSE(live.isVisible());
  const int ot = runs.openRun(otRun());
  ASSERT_GE(ot, 0);
  EXPECT_TRUE(live.isVisible());
  ASSERT_TRUE(waitUntil([&] { return !live.isBusy() && !live.scene().rows().empty(); }));
  const TileGrid g = live.scene().grid();
  ASSERT_EQ(g.rows.size(), 1u);
  ASSERT_EQ(g.rows[0].tiles.size(), static_cast<size_t>(LiveSamples::kCount));
  EXPECT_TRUE(g.rows[0].label.contains("step 30"));
  ImageNoise noise;
  noise.count = LiveSamples::kCount;
  const ImageBatch direct = sampleImages(*runs.run(ot)->weights, noise, {"midpoint", LiveSamples::kSteps});
  ASSERT_EQ(g.rows[0].tiles[3].pixels.size(), 784u);
  for (size_t j = 0; j < 784; ++j)  // the worker's thread count may change the float rounding
    ASSERT_NEAR(g.rows[0].tiles[3].pixels[j], direct.image(3)[j], 1e-4) << j;
  // Hidden, it asks for nothing when weights change.
  monitor.hide();
  const quint64 before = queries.requestCount();
  const int vp = runs.openRun(vpRun());
  ASSERT_GE(vp, 0);
  EXPECT_EQ(queries.requestCount(), before);
  monitor.show();  // and catches up when shown
  ASSERT_TRUE(waitUntil([&] { return !live.isBusy() && live.scene().rows().size() == 2; }));
}

TEST(ImageCheckpointView, EachCheckpointRowShowsThatCheckpointsOwnSamples) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  ImageCheckpointView view(&runs, &time, &queries);
  view.show();
  const int ot = runs.openRun(otRun());
  ASSERT_GE(ot, 0);
  view.noiseControls()->setCount(3);
  ASSERT_TRUE(settled(view));
  ASSERT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  EXPECT_EQ(view.shownSteps(), (std::vector<int64_t>{10, 20, 30}));
  time.setT(1.0);
  const ImagePathScene& scene = view.scene();
  ASSERT_EQ(scene.runs().size(), 3u);
  std::vector<std::vector<float>> ends;
  for (size_t k = 0; k < 3; ++k) {
    const FlowModelPtr model = loadFlowModel(otRun().toStdString(), std::to_string(10 * (k + 1)));
    const ImageBatch direct = sampleImages(*model, noiseOf(3, 0), {"midpoint", 32});
    const std::vector<float> shown = scene.frame(k, 1.0);
    ASSERT_EQ(shown.size(), direct.pixels.size());
    double worst = 0;
    for (size_t j = 0; j < shown.size(); ++j) worst = std::max(worst, static_cast<double>(std::abs(shown[j] - direct.pixels[j])));
    EXPECT_LT(worst, 1e-3) << "checkpoint " << 10 * (k + 1);
    ends.push_back(shown);
  }
  // The checkpoints differ from one another (training changed the samples).
  EXPECT_GT(imageMse(ends[0].data(), ends[2].data(), static_cast<int64_t>(ends[0].size())), 1e-6);
  const TileGrid g = scene.grid();
  EXPECT_EQ(g.rows.size(), 3u);
  EXPECT_TRUE(g.rows[0].label.startsWith("step 10"));
  ImageCheckpointView other(&runs, &time, &queries);
  other.restoreState(view.saveState());
  EXPECT_EQ(QJsonDocument(other.saveState()).toJson(), QJsonDocument(view.saveState()).toJson());
}

TEST(ImageInterpolationView, EachRunsRowRunsFromSampleAToSampleBOfTheSeed) {
  RunManager runs;
  AsyncQuery queries;
  ImageInterpolationView view(&runs, &queries);
  view.show();
  const int ot = runs.openRun(otRun());
  ASSERT_GE(ot, 0);
  view.setEndpoints(1, 3);
  view.setSteps(5);
  ASSERT_TRUE(settled(view));
  ASSERT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  ASSERT_EQ(view.results().count(ot), 1u);
  const ImageBatch& line = *view.results().at(ot);
  ASSERT_EQ(line.count, 5);
  const ImageBatch samples = sampleImages(*runs.run(ot)->weights, noiseOf(4, 0), {"midpoint", 50});
  EXPECT_LT(imageMse(line.image(0), samples.image(1), 784), 1e-8);
  EXPECT_LT(imageMse(line.image(4), samples.image(3), 784), 1e-8);
  EXPECT_GT(imageMse(line.image(2), samples.image(1), 784), 1e-5);
  const TileGrid g = view.grid();
  ASSERT_EQ(g.rows.size(), 1u);
  EXPECT_EQ(g.columnLabels.back(), "s = 1.00");
  ImageInterpolationView other(&runs, &queries);
  other.restoreState(view.saveState());
  EXPECT_EQ(QJsonDocument(other.saveState()).toJson(), QJsonDocument(view.saveState()).toJson());
}

TEST(ImageInspector, AClickedTileOpensLargeWithItsPathAndPixelValues) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  ImagePathView view(&runs, &time, &queries);
  view.resize(1100, 800);
  view.show();
  ASSERT_GE(runs.openRun(otRun()), 0);
  ASSERT_GE(runs.openRun(vpRun()), 0);
  view.setShowPrediction(true);
  view.setShowDifference(true);
  ASSERT_TRUE(settled(view));
  // Every tile of the strip maps back to the run, sample, kind and time it shows.
  for (auto layout : {ImagePathScene::Layout::AlongT, ImagePathScene::Layout::AtT}) {
    view.setLayoutMode(layout);
    const ImagePathScene& scene = view.scene();
    const TileGrid g = scene.grid();
    int checked = 0;
    for (size_t r = 0; r < g.rows.size(); ++r)
      for (size_t c = 0; c < g.rows[r].tiles.size(); ++c) {
        const Tile& tile = g.rows[r].tiles[c];
        const auto src = scene.sourceOf(static_cast<int>(r), static_cast<int>(c));
        ASSERT_EQ(src.has_value(), !tile.difference && !tile.pixels.empty()) << r << "," << c;
        if (!src) continue;
        const std::vector<float> frame = scene.frame(src->run, src->t, src->kind);
        ASSERT_EQ(tile.pixels, std::vector<float>(frame.begin() + src->sample * 784, frame.begin() + (src->sample + 1) * 784));
        ++checked;
      }
    EXPECT_GT(checked, 8);
  }
  // Row 1 of the along-t strip is run 0's x1 prediction of sample 0.
  view.setLayoutMode(ImagePathScene::Layout::AlongT);
  ASSERT_TRUE(view.inspectTile(1, 2));
  ImageInspector* inspector = view.inspector();
  ASSERT_TRUE(inspector && inspector->isVisible());
  const TileGrid big = inspector->imageGrid();
  const TileGrid strip = view.scene().grid();
  EXPECT_EQ(big.rows[0].tiles[0].pixels, strip.rows[1].tiles[2].pixels);
  EXPECT_TRUE(big.title.contains("x1 prediction"));
  EXPECT_EQ(inspector->pathGrid().rows[0].tiles.size(), static_cast<size_t>(ImageInspector::kPathColumns));
  const float v = big.rows[0].tiles[0].pixels[5 * 28 + 3];
  EXPECT_TRUE(inspector->readout(3, 5).contains(QString("byte %1").arg(imageByte(v)))) << inspector->readout(3, 5).toStdString();
  EXPECT_FALSE(view.inspectTile(4, 0));  // the difference row (after x_t and x1 of both runs)
  // The inspector follows the scrubber.
  time.setT(0.0);
  EXPECT_NE(inspector->imageGrid().rows[0].tiles[0].pixels, big.rows[0].tiles[0].pixels);
}

TEST(ImageDataView, PagesOfTheDatasetWithLabelsAndAClassFilter) {
  AsyncQuery queries;
  ImageDataView view(&queries);
  view.show();
  DataConfig data;
  data.name = "mnist";
  data.root = flowscope::test::tinyImageData().toStdString();
  view.setData(data);
  ASSERT_TRUE(settled(view));
  ASSERT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  ASSERT_TRUE(view.page());
  EXPECT_EQ(view.page()->total, 40);  // tests/common/TinyIdx.h writes 40 per split
  EXPECT_EQ(view.page()->images.count, 40);
  EXPECT_EQ(view.page()->labels[7], 7);
  view.setClassFilter(3);
  ASSERT_TRUE(settled(view));
  ASSERT_EQ(view.page()->total, 4);
  for (int64_t l : view.page()->labels) EXPECT_EQ(l, 3);
  // Class 3 is a bright band at rows 6..11: bin centres of bytes >= 200 there, < 30 elsewhere.
  const float* img = view.page()->images.image(0);
  EXPECT_GT(img[8 * 28 + 5], 2 * (200 + 0.5) / 256 - 1 - 1e-6);
  EXPECT_LT(img[20 * 28 + 5], 2 * (30 + 0.5) / 256 - 1);
  const TileGrid g = view.grid();
  ASSERT_EQ(g.rows.size(), 1u);
  EXPECT_EQ(g.rows[0].tiles[0].caption, "3");
  // Files that are not there: the message names them, nothing crashes.
  data.root = "/nonexistent/mnist";
  view.setData(data);
  ASSERT_TRUE(settled(view));
  EXPECT_TRUE(view.failure().contains("/nonexistent/mnist")) << view.failure().toStdString();
}

TEST(ImageNoiseControls, TheClassIsOneForTheGridOrOnePerSampleAndOnlyForConditionalModels) {
  ImageNoiseControls c(6);
  c.setSeed(9);
  EXPECT_TRUE(c.noise(10).labels.empty());  // no class names offered yet: unconditional
  c.setClassNames({"a", "b", "c"});
  c.setClassChoice(2);
  c.setGuidance(2.5);
  ImageNoise n = c.noise(3);
  EXPECT_EQ(n.count, 6);
  EXPECT_EQ(n.seed, 9u);
  EXPECT_EQ(n.labels, std::vector<int64_t>{2});
  EXPECT_EQ(n.guidance, 2.5);
  EXPECT_TRUE(c.noise(0).labels.empty());  // an unconditional model ignores the choice
  c.setClassChoice(ImageNoiseControls::kCycleClasses);
  EXPECT_EQ(c.noise(3).labels, (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));  // one per sample (row along t)
  ImageNoiseControls other(1);
  other.setClassNames({"a", "b", "c"});
  other.restoreState(c.saveState());
  EXPECT_EQ(QJsonDocument(other.saveState()).toJson(), QJsonDocument(c.saveState()).toJson());
}
