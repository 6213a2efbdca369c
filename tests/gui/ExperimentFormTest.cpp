// The experiment form, driven through its real editors (found by their dotted-key objectNames):
// schema coverage, exact round trips, messages under the field, presets, load/save, and which
// keys are enabled for the current choices.

#include <gtest/gtest.h>

#include <QFileInfo>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <cstdint>
#include <limits>

#include "GuiTestSupport.h"
#include "core/config/ConfigSchema.h"
#include "core/config/ConfigYaml.h"
#include "core/registry/Registries.h"
#include "gui/app/ExperimentForm.h"

namespace flowscope::gui {
namespace {

using flowscope::test::TempFolder;

template <typename W>
W* editor(ExperimentForm& form, const QString& key) {
  W* w = form.findChild<W*>(key);
  EXPECT_NE(w, nullptr) << key.toStdString();
  return w;
}

QLabel* errorLabel(ExperimentForm& form, const QString& key) {
  return editor<QLabel>(form, key + ":error");
}

/// Replaces the text the way a user does: select all, then one key press per character (so the
/// editor's validator and enabled state apply).
void typeInto(QLineEdit* edit, const QString& text) {
  edit->selectAll();
  if (text.isEmpty()) {
    QKeyEvent del(QEvent::KeyPress, Qt::Key_Delete, Qt::NoModifier);
    QApplication::sendEvent(edit, &del);
  }
  for (const QChar ch : text) {
    QKeyEvent press(QEvent::KeyPress, ch.toUpper().unicode(), Qt::NoModifier, QString(ch));
    QApplication::sendEvent(edit, &press);
  }
}

void choose(QComboBox* combo, const QString& value) {
  const int index = combo->findText(value);
  ASSERT_GE(index, 0) << value.toStdString();
  combo->setCurrentIndex(index);
}

bool shown(QWidget* w) { return w && !w->isHidden(); }

ExperimentConfig unusualConfig() {
  ExperimentConfig c = flowscope::test::tinyExperiment();
  c.name = "form round trip";
  c.data.name = "gaussian";
  c.data.mean = {1.5, -0.25};
  c.data.covariance = {2.0, 0.3, 0.3, 0.1 + 0.2};
  c.data.noise = 0.05;
  c.path.name = "vp";
  c.path.beta_max = 19.5;
  c.path.eps = 1e-5;
  c.objective.name = "scoreflow";
  c.model.activation = "gelu";
  c.optimizer.lr = 3e-4;
  c.optimizer.weight_decay = 1e-6;
  c.schedule.name = "polynomial";
  c.schedule.warmup_steps = 3'000'000'000LL;  // beyond int range
  c.ema.decay = 0.9999;
  c.training.seed = (uint64_t{1} << 63) + 12345;
  c.training.device = "auto";
  c.sampling.solver = "rk4";
  c.evaluation.likelihood = true;
  return c;
}

TEST(ExperimentForm, EveryFieldHasAnEditorWithHelp) {
  ExperimentForm form;
  ExperimentConfig c;
  for (const ConfigField& f : configFields(c)) {
    const QString key = QString::fromStdString(f.key);
    QWidget* input = editor<QWidget>(form, key);
    ASSERT_NE(input, nullptr);
    EXPECT_TRUE(input->toolTip().contains(QString::fromStdString(f.help))) << f.key;
    EXPECT_NE(errorLabel(form, key), nullptr);
    if (!allowedValues(f.key).empty()) {
      auto* combo = qobject_cast<QComboBox*>(input);
      ASSERT_NE(combo, nullptr) << f.key;
      EXPECT_EQ(combo->count(), static_cast<int>(allowedValues(f.key).size())) << f.key;
    } else if (std::holds_alternative<bool*>(f.value)) {
      EXPECT_NE(qobject_cast<QCheckBox*>(input), nullptr) << f.key;
    } else {
      EXPECT_NE(qobject_cast<QLineEdit*>(input), nullptr) << f.key;
    }
  }
  EXPECT_NE(form.findChild<QPushButton*>("data.file:browse"), nullptr);
  EXPECT_TRUE(form.isValid());  // the defaults
}

TEST(ExperimentForm, SetConfigRoundTripsExactly) {
  ExperimentForm form;
  const ExperimentConfig c = unusualConfig();
  form.setConfig(c);
  EXPECT_TRUE(form.isValid()) << (form.issues().empty() ? "" : form.issues().front().message);
  EXPECT_TRUE(diffExperiments(form.config(), c).empty());
  // Shortest round-trip text, as in the YAML files.
  EXPECT_EQ(editor<QLineEdit>(form, "optimizer.lr")->text(), "0.0003");
  EXPECT_EQ(editor<QLineEdit>(form, "data.covariance")->text(),
            "[[2, 0.3], [0.3, 0.30000000000000004]]");
  EXPECT_EQ(editor<QLineEdit>(form, "training.seed")->text(), "9223372036854788153");

  // Unset noise is an empty field and stays unset.
  ExperimentConfig d = c;
  d.data.noise.reset();
  d.training.seed = std::numeric_limits<uint64_t>::max();
  form.setConfig(d);
  EXPECT_TRUE(editor<QLineEdit>(form, "data.noise")->text().isEmpty());
  EXPECT_TRUE(diffExperiments(form.config(), d).empty());
}

TEST(ExperimentForm, TypedValuesAreParsed) {
  ExperimentForm form;
  typeInto(editor<QLineEdit>(form, "optimizer.lr"), "1e-4");
  typeInto(editor<QLineEdit>(form, "training.seed"), "18446744073709551615");
  typeInto(editor<QLineEdit>(form, "training.steps"), "5000000000");
  ASSERT_TRUE(form.isValid());
  EXPECT_EQ(form.config().optimizer.lr, 1e-4);
  EXPECT_EQ(form.config().training.seed, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(form.config().training.steps, 5'000'000'000LL);

  typeInto(editor<QLineEdit>(form, "training.seed"), "18446744073709551616");  // 2^64
  EXPECT_FALSE(form.isValid());
  EXPECT_TRUE(shown(errorLabel(form, "training.seed")));
  EXPECT_TRUE(errorLabel(form, "training.seed")->text().contains("[0, 18446744073709551615]"))
      << errorLabel(form, "training.seed")->text().toStdString();
}

TEST(ExperimentForm, RangeMessageUnderTheFieldBlocksCreateRun) {
  ExperimentForm form;
  int validity = 0, lastValid = -1, changes = 0;
  QObject::connect(&form, &ExperimentForm::validityChanged, [&](bool v) {
    ++validity;
    lastValid = v;
  });
  QObject::connect(&form, &ExperimentForm::configChanged, [&] { ++changes; });
  auto* width = editor<QLineEdit>(form, "model.width");
  auto* create = editor<QPushButton>(form, "createRun");
  QLabel* message = errorLabel(form, "model.width");
  ASSERT_TRUE(create->isEnabled());
  EXPECT_FALSE(shown(message));

  typeInto(width, "0");
  EXPECT_TRUE(shown(message));
  EXPECT_TRUE(message->text().contains("[1, 65536]")) << message->text().toStdString();
  EXPECT_TRUE(width->styleSheet().contains("border"));  // red frame
  EXPECT_FALSE(form.isValid());
  EXPECT_FALSE(create->isEnabled());
  ASSERT_EQ(form.issues().size(), 1u);
  EXPECT_EQ(form.issues()[0].key, "model.width");
  EXPECT_EQ(validity, 1);
  EXPECT_EQ(lastValid, 0);
  EXPECT_EQ(changes, 0);
  EXPECT_EQ(form.config().model.width, 256);

  typeInto(width, "128");
  EXPECT_FALSE(shown(message));
  EXPECT_TRUE(width->styleSheet().isEmpty());
  EXPECT_TRUE(form.isValid());
  EXPECT_TRUE(create->isEnabled());
  EXPECT_EQ(lastValid, 1);
  EXPECT_GE(changes, 1);
  EXPECT_EQ(form.config().model.width, 128);

  int requested = 0;
  QObject::connect(&form, &ExperimentForm::createRunRequested, [&] { ++requested; });
  create->click();
  EXPECT_EQ(requested, 1);
}

TEST(ExperimentForm, TextInANumberFieldSaysExpectedANumber) {
  ExperimentForm form;
  auto* lr = editor<QLineEdit>(form, "optimizer.lr");
  typeInto(lr, "abc");
  EXPECT_FALSE(form.isValid());
  EXPECT_TRUE(shown(errorLabel(form, "optimizer.lr")));
  EXPECT_TRUE(errorLabel(form, "optimizer.lr")->text().contains("expected a number"))
      << errorLabel(form, "optimizer.lr")->text().toStdString();
  ASSERT_FALSE(form.issues().empty());
  EXPECT_EQ(form.issues()[0].key, "optimizer.lr");

  // A bad pair names its shape.
  choose(editor<QComboBox>(form, "data.name"), "gaussian");
  typeInto(editor<QLineEdit>(form, "data.mean"), "[1, x]");
  EXPECT_TRUE(errorLabel(form, "data.mean")->text().contains("[a, b]"));
}

TEST(ExperimentForm, CrossFieldMessageOnObjective) {
  ExperimentForm form;
  choose(editor<QComboBox>(form, "path.name"), "cond_ot");
  choose(editor<QComboBox>(form, "objective.name"), "scoreflow");
  QLabel* message = errorLabel(form, "objective.name");
  EXPECT_TRUE(shown(message));
  EXPECT_TRUE(message->text().contains("needs path.name vp")) << message->text().toStdString();
  EXPECT_FALSE(form.isValid());

  choose(editor<QComboBox>(form, "path.name"), "vp");
  EXPECT_FALSE(shown(message));
  EXPECT_TRUE(form.isValid());
  EXPECT_EQ(form.config().objective.name, "scoreflow");
}

TEST(ExperimentForm, MalformedFileLeavesTheFormUnchanged) {
  TempFolder tmp;
  ExperimentForm form;
  const ExperimentConfig before = unusualConfig();
  form.setConfig(before);
  typeInto(editor<QLineEdit>(form, "model.depth"), "7");
  const ExperimentConfig edited = form.config();

  struct Case {
    const char* file;
    const char* text;
    QString where;  // file:line the message must name
  };
  const Case cases[] = {
      {"syntax.yaml", "name: x\nmodel:\n  width: [64\n  depth: 3\n", ""},
      {"bad-value.yaml", "name: x\nmodel:\n  width: abc\n", "bad-value.yaml:3:"},
  };
  for (const Case& c : cases) {
    const QString path = tmp.file(c.file);
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(c.text);
    f.close();
    QString error;
    EXPECT_FALSE(form.loadFile(path, &error));
    EXPECT_TRUE(error.contains(path + ":")) << error.toStdString();
    if (!c.where.isEmpty()) {
      EXPECT_TRUE(error.contains(c.where)) << error.toStdString();
    }
    auto* banner = editor<QLabel>(form, "banner");
    EXPECT_EQ(banner->text(), error);
    EXPECT_TRUE(shown(banner->parentWidget()));
    EXPECT_TRUE(diffExperiments(form.config(), edited).empty());
    EXPECT_EQ(editor<QLineEdit>(form, "model.depth")->text(), "7");
    EXPECT_TRUE(form.currentFile().isEmpty());
  }

  QString error;
  EXPECT_FALSE(form.loadFile(tmp.file("missing.yaml"), &error));
  EXPECT_TRUE(error.contains("missing.yaml")) << error.toStdString();
}

TEST(ExperimentForm, SaveThenLoadGivesTheSameConfig) {
  TempFolder tmp;
  ExperimentForm form;
  const ExperimentConfig c = unusualConfig();
  form.setConfig(c);
  const QString path = tmp.file("saved.yaml");
  QString error;
  ASSERT_TRUE(form.saveFile(path, &error)) << error.toStdString();
  EXPECT_EQ(form.currentFile(), path);
  EXPECT_TRUE(diffExperiments(loadExperiment(path.toStdString()), c).empty());

  // Loading it back into a fresh form.
  ExperimentForm other;
  ASSERT_TRUE(other.loadFile(path, &error)) << error.toStdString();
  EXPECT_TRUE(diffExperiments(other.config(), c).empty());
  EXPECT_EQ(other.currentFile(), path);

  // An invalid form is not saved, and the refusal names the key.
  typeInto(editor<QLineEdit>(form, "model.width"), "0");
  const QString refused = tmp.file("refused.yaml");
  EXPECT_FALSE(form.saveFile(refused, &error));
  EXPECT_TRUE(error.contains("model.width")) << error.toStdString();
  EXPECT_FALSE(QFile::exists(refused));
}

TEST(ExperimentForm, EveryPresetLoadsAndIsValid) {
  const QStringList names = ExperimentForm::presetNames();
  ASSERT_GE(names.size(), 6);
  EXPECT_TRUE(names.contains("checkerboard-fm-ot"));
  EXPECT_TRUE(names.contains("fashion-mnist-fm-ot"));
  ExperimentForm form;
  auto* presets = editor<QComboBox>(form, "presets");
  EXPECT_EQ(presets->count(), names.size());
  for (const QString& name : names) {
    form.loadPreset(name);
    EXPECT_TRUE(form.isValid()) << name.toStdString();
    EXPECT_FALSE(shown(editor<QLabel>(form, "banner")->parentWidget())) << name.toStdString();
    EXPECT_EQ(presets->currentText(), name);
    // 2D presets live in resources/presets, the image presets in resources/images.
    const std::string images = std::string(FLOWSCOPE_SOURCE_DIR) + "/resources/images/" + name.toStdString() + ".yaml";
    const std::string folder = QFileInfo::exists(QString::fromStdString(images)) ? "/resources/images/" : "/resources/presets/";
    const ExperimentConfig file = loadExperiment(std::string(FLOWSCOPE_SOURCE_DIR) + folder + name.toStdString() + ".yaml");
    EXPECT_TRUE(diffExperiments(form.config(), file).empty()) << name.toStdString();
  }

  const ExperimentConfig before = form.config();
  form.loadPreset("no-such-preset");
  EXPECT_TRUE(shown(editor<QLabel>(form, "banner")->parentWidget()));
  EXPECT_TRUE(editor<QLabel>(form, "banner")->text().contains("no-such-preset"));
  EXPECT_TRUE(diffExperiments(form.config(), before).empty());
}

TEST(ExperimentForm, EnabledKeysFollowDataAndPath) {
  ExperimentForm form;
  auto enabled = [&](const char* key) { return editor<QWidget>(form, key)->isEnabled(); };
  auto* data = editor<QComboBox>(form, "data.name");
  auto* path = editor<QComboBox>(form, "path.name");

  choose(data, "checkerboard");
  EXPECT_FALSE(enabled("data.mean"));
  EXPECT_FALSE(enabled("data.covariance"));
  EXPECT_FALSE(enabled("data.file"));
  EXPECT_FALSE(enabled("data.file:browse"));

  choose(data, "gaussian");
  EXPECT_TRUE(enabled("data.mean"));
  EXPECT_TRUE(enabled("data.covariance"));
  EXPECT_FALSE(enabled("data.file"));
  typeInto(editor<QLineEdit>(form, "data.mean"), "[1, 2]");
  ASSERT_TRUE(form.isValid());

  choose(data, "points");  // no file yet: the message is under data.file
  EXPECT_TRUE(enabled("data.file"));
  EXPECT_TRUE(enabled("data.file:browse"));
  EXPECT_FALSE(enabled("data.mean"));
  EXPECT_TRUE(shown(errorLabel(form, "data.file")));
  EXPECT_FALSE(form.isValid());
  typeInto(editor<QLineEdit>(form, "data.file"), "points.csv");
  EXPECT_TRUE(form.isValid());
  EXPECT_EQ(form.config().data.mean, (std::array<double, 2>{1, 2}));  // kept while disabled

  // A bad value in a field that stops applying reverts instead of blocking the form.
  choose(data, "gaussian");
  typeInto(editor<QLineEdit>(form, "data.covariance"), "[[1, 0], [0");
  EXPECT_FALSE(form.isValid());
  choose(data, "two_moons");
  EXPECT_TRUE(form.isValid());
  EXPECT_FALSE(enabled("data.covariance"));
  EXPECT_EQ(editor<QLineEdit>(form, "data.covariance")->text(), "[[1, 0], [0, 1]]");

  choose(path, "cond_ot");
  EXPECT_TRUE(enabled("path.sigma_min"));
  EXPECT_FALSE(enabled("path.sigma_max"));
  EXPECT_FALSE(enabled("path.beta_min"));
  EXPECT_FALSE(enabled("path.beta_max"));
  EXPECT_FALSE(enabled("path.eps"));
  choose(path, "vp");
  EXPECT_FALSE(enabled("path.sigma_min"));
  EXPECT_FALSE(enabled("path.sigma_max"));
  EXPECT_TRUE(enabled("path.beta_min"));
  EXPECT_TRUE(enabled("path.beta_max"));
  EXPECT_TRUE(enabled("path.eps"));
  choose(path, "ve");
  EXPECT_TRUE(enabled("path.sigma_min"));
  EXPECT_TRUE(enabled("path.sigma_max"));
  EXPECT_FALSE(enabled("path.beta_min"));

  // Typing into a disabled editor does nothing.
  auto* beta = editor<QLineEdit>(form, "path.beta_min");
  const QString old = beta->text();
  typeInto(beta, "5");
  EXPECT_EQ(beta->text(), old);

  choose(editor<QComboBox>(form, "model.time_embedding"), "concat");
  EXPECT_FALSE(enabled("model.time_frequencies"));
  choose(editor<QComboBox>(form, "schedule.name"), "polynomial");
  EXPECT_TRUE(enabled("schedule.final_lr"));
  EXPECT_TRUE(enabled("schedule.power"));
}

// Which keys are greyed out comes from the registries (Choice::keys), not from the form.
TEST(ExperimentForm, EnabledKeysAreTheSelectedChoicesKeys) {
  ExperimentForm form;
  int checked = 0;
  for (const Registry* r : registries()) {
    auto* combo = editor<QComboBox>(form, QString::fromStdString(r->key()));
    ASSERT_NE(combo, nullptr) << r->key();
    for (const Choice& c : r->choices()) {
      form.setConfig(ExperimentConfig{});
      choose(combo, QString::fromStdString(c.name));
      if (!combo->isEnabled()) continue;  // its own key does not apply under the defaults
      for (const std::string& key : r->governedKeys()) {
        const QString k = QString::fromStdString(key);
        if (shown(errorLabel(form, k))) continue;  // a field with a problem stays editable
        EXPECT_EQ(editor<QWidget>(form, k)->isEnabled(), c.lists(key)) << r->key() << "=" << c.name << ": " << key;
        ++checked;
      }
      // The combo's items carry the registry's one-line summaries.
      EXPECT_EQ(combo->itemData(combo->findText(QString::fromStdString(c.name)), Qt::ToolTipRole).toString(),
                QString::fromStdString(c.summary));
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(ExperimentForm, DeviceComboTakesCudaWithAnIndex) {
  ExperimentForm form;
  auto* device = editor<QComboBox>(form, "training.device");
  ASSERT_TRUE(device->isEditable());  // cuda:N is not a listed item but valid
  device->setEditText("cuda:1");
  EXPECT_TRUE(form.isValid()) << (form.issues().empty() ? "" : form.issues().front().message);
  EXPECT_EQ(form.config().training.device, "cuda:1");
  device->setEditText("gpu");
  EXPECT_FALSE(form.isValid());
  EXPECT_TRUE(errorLabel(form, "training.device")->text().contains("cuda:N"))
      << errorLabel(form, "training.device")->text().toStdString();
  // A config with cuda:N round-trips through the form.
  ExperimentConfig c;
  c.training.device = "cuda:3";
  form.setConfig(c);
  EXPECT_TRUE(form.isValid());
  EXPECT_EQ(form.config().training.device, "cuda:3");
}

TEST(ExperimentForm, NoisePlaceholderIsTheDatasetsDefault) {
  ExperimentForm form;
  auto* noise = editor<QLineEdit>(form, "data.noise");
  choose(editor<QComboBox>(form, "data.name"), "two_moons");
  EXPECT_EQ(noise->placeholderText(), "default: 0.1");
  choose(editor<QComboBox>(form, "data.name"), "swiss_roll");
  EXPECT_EQ(noise->placeholderText(), "default: 1");
}

TEST(ExperimentForm, OutOfRangeNumbersShowTheSchemaRange) {
  ExperimentForm form;
  typeInto(editor<QLineEdit>(form, "optimizer.lr"), "1e308");
  EXPECT_FALSE(form.isValid());
  EXPECT_TRUE(errorLabel(form, "optimizer.lr")->text().contains("(0, 10]"))
      << errorLabel(form, "optimizer.lr")->text().toStdString();
  typeInto(editor<QLineEdit>(form, "optimizer.lr"), "1e-3");
  typeInto(editor<QLineEdit>(form, "model.width"), "99999999999");  // beyond int
  EXPECT_TRUE(errorLabel(form, "model.width")->text().contains("[1, 65536]"))
      << errorLabel(form, "model.width")->text().toStdString();
}

}  // namespace
}  // namespace flowscope::gui
