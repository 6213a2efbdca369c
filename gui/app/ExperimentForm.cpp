#include "gui/app/ExperimentForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>
#include <type_traits>

#include "core/config/ConfigSchema.h"
#include "core/config/ConfigYaml.h"

namespace flowscope::gui {

/// One config key's widgets. `input` carries the key as its objectName, `error` "<key>:error".
struct ExperimentForm::Editor {
  std::string key;
  QWidget* input = nullptr;  // QLineEdit, QComboBox or QCheckBox
  QLabel* label = nullptr;
  QLabel* error = nullptr;
  QPushButton* browse = nullptr;  // data.file only
};

namespace {

// Red that stays readable on light and dark palettes.
constexpr const char* kErrorColor = "#d83b3b";

QString sectionTitle(const QString& section) {
  static const std::map<QString, QString> titles = {
      {"", "Experiment"},      {"data", "Data"},           {"path", "Probability path"},
      {"objective", "Objective"}, {"model", "Model"},       {"optimizer", "Optimizer"},
      {"schedule", "LR schedule"}, {"ema", "EMA"},          {"training", "Training"},
      {"sampling", "Sampling"}, {"evaluation", "Evaluation"}};
  auto it = titles.find(section);
  return it == titles.end() ? section : it->second;
}

QString inputText(const QWidget* input) {
  if (auto* line = qobject_cast<const QLineEdit*>(input)) return line->text();
  if (auto* combo = qobject_cast<const QComboBox*>(input)) return combo->currentText();
  return {};
}

/// A finite double in the C locale (QString::toDouble ignores the user's locale, unlike strtod).
std::optional<double> toNumber(const QString& text) {
  bool ok = false;
  const double v = text.trimmed().toDouble(&ok);
  if (ok && std::isfinite(v)) return v;
  return std::nullopt;
}

template <typename Int>
std::optional<Int> toInteger(const QString& text) {
  std::string s = text.trimmed().toStdString();
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  Int v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

template <size_t N>
std::optional<std::array<double, N>> toNumbers(const QString& text, const QRegularExpression& re) {
  const QRegularExpressionMatch m = re.match(text);
  if (!m.hasMatch()) return std::nullopt;
  std::array<double, N> out{};
  for (size_t i = 0; i < N; ++i) {
    const auto v = toNumber(m.captured(static_cast<int>(i) + 1));
    if (!v) return std::nullopt;
    out[i] = *v;
  }
  return out;
}

/// Reads the editor into `field`. Returns "" on success, else what was expected; the field is
/// left untouched on failure.
std::string readField(const ConfigField& field, const QWidget* input) {
  const QString text = inputText(input);
  return std::visit(
      [&](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, bool>) {
          *p = qobject_cast<const QCheckBox*>(input)->isChecked();
        } else if constexpr (std::is_same_v<T, std::string>) {
          *p = text.toStdString();
        } else if constexpr (std::is_same_v<T, double>) {
          const auto v = toNumber(text);
          if (!v) return expectedText(field);  // the schema's range, as for YAML
          *p = *v;
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          if (text.trimmed().isEmpty()) {
            *p = std::nullopt;
          } else {
            const auto v = toNumber(text);
            if (!v) return expectedText(field);
            *p = *v;
          }
        } else if constexpr (std::is_same_v<T, std::array<double, 2>>) {
          static const QRegularExpression re(
              R"(^\s*\[?\s*([^,\[\]\s]+)\s*,\s*([^,\[\]\s]+)\s*\]?\s*$)");
          const auto v = toNumbers<2>(text, re);
          if (!v) return expectedText(field);
          *p = *v;
        } else if constexpr (std::is_same_v<T, std::array<double, 4>>) {
          static const QRegularExpression re(
              R"(^\s*\[\s*\[\s*([^,\[\]\s]+)\s*,\s*([^,\[\]\s]+)\s*\]\s*,)"
              R"(\s*\[\s*([^,\[\]\s]+)\s*,\s*([^,\[\]\s]+)\s*\]\s*\]\s*$)");
          const auto v = toNumbers<4>(text, re);
          if (!v) return expectedText(field);
          *p = *v;
        } else {
          const auto v = toInteger<T>(text);
          if (!v) return expectedText(field);
          *p = *v;
        }
        return {};
      },
      field.value);
}

/// Shortest digits that read back to the same double, as fieldText, but in plain notation over
/// the usual range: fieldText's %g at the shortest precision writes 20 as "2e+01".
QString number(double v) {
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  const double a = std::abs(v);
  const char format = a >= 1e-4 && a < 1e15 ? 'f' : 'e';
  return QString::number(v, format, QLocale::FloatingPointShortest);
}

/// The text an editor shows for a value (strings raw, not YAML-quoted).
QString displayText(const ConfigField& field) {
  return std::visit(
      [&](auto* p) -> QString {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) return QString::fromStdString(*p);
        else if constexpr (std::is_same_v<T, double>) return number(*p);
        else if constexpr (std::is_same_v<T, std::optional<double>>)
          return p->has_value() ? number(**p) : QString();
        else if constexpr (std::is_same_v<T, std::array<double, 2>>)
          return QString("[%1, %2]").arg(number((*p)[0]), number((*p)[1]));
        else if constexpr (std::is_same_v<T, std::array<double, 4>>)
          return QString("[[%1, %2], [%3, %4]]")
              .arg(number((*p)[0]), number((*p)[1]), number((*p)[2]), number((*p)[3]));
        else return QString::fromStdString(fieldText(field));  // integers, bool
      },
      field.value);
}

/// "key 'model.width': got 0 (...)" -> "got 0 (...)": the field's own label already names it.
QString localMessage(const ConfigIssue& issue) {
  const std::string prefix = "key '" + issue.key + "': ";
  std::string m = issue.message;
  if (m.compare(0, prefix.size(), prefix) == 0) m.erase(0, prefix.size());
  return QString::fromStdString(m);
}

bool isStringField(const ConfigField& f) { return std::holds_alternative<std::string*>(f.value); }

}  // namespace

ExperimentForm::ExperimentForm(QWidget* parent) : QWidget(parent) {
  buildUi();
  setConfig(ExperimentConfig{});
}

ExperimentForm::~ExperimentForm() = default;

void ExperimentForm::buildUi() {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(6, 6, 6, 6);
  outer->setSpacing(6);

  // Preset picker: outside the scroll area so it is always at hand.
  auto* presetRow = new QHBoxLayout;
  auto* presetLabel = new QLabel(tr("Preset"), this);
  presets_ = new QComboBox(this);
  presets_->setObjectName("presets");
  presets_->setPlaceholderText(tr("Choose a built-in experiment..."));
  presets_->setToolTip(
      tr("Built-in experiments (resources/presets); choosing one replaces the form"));
  for (const QString& name : presetNames()) {
    presets_->addItem(name);
    // The preset's leading comment says what it is for.
    QFile f(":/presets/" + name + ".yaml");
    QStringList comment;
    if (f.open(QIODevice::ReadOnly))
      for (const QString& line : QString::fromUtf8(f.readAll()).split('\n')) {
        if (!line.startsWith('#')) break;
        comment << line.mid(1).trimmed();
      }
    presets_->setItemData(presets_->count() - 1, comment.join('\n'), Qt::ToolTipRole);
  }
  presets_->setCurrentIndex(-1);
  presets_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  presets_->setMinimumContentsLength(12);
  connect(presets_, &QComboBox::activated, this,
          [this](int index) { loadPreset(presets_->itemText(index)); });
  presetRow->addWidget(presetLabel);
  presetRow->addWidget(presets_, 1);
  outer->addLayout(presetRow);

  // Load errors: shown until dismissed or the next successful load.
  bannerFrame_ = new QFrame(this);
  bannerFrame_->setObjectName("bannerFrame");
  bannerFrame_->setStyleSheet(QString("#bannerFrame { border: 1px solid %1; border-radius: 3px; "
                                      "background: rgba(216, 59, 59, 0.12); }")
                                  .arg(kErrorColor));
  auto* bannerRow = new QHBoxLayout(bannerFrame_);
  bannerRow->setContentsMargins(6, 4, 2, 4);
  banner_ = new QLabel(bannerFrame_);
  banner_->setObjectName("banner");
  banner_->setWordWrap(true);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* dismiss = new QToolButton(bannerFrame_);
  dismiss->setText(QStringLiteral("\u00d7"));
  dismiss->setAutoRaise(true);
  dismiss->setToolTip(tr("Dismiss"));
  connect(dismiss, &QToolButton::clicked, bannerFrame_, &QWidget::hide);
  bannerRow->addWidget(banner_, 1);
  bannerRow->addWidget(dismiss, 0, Qt::AlignTop);
  bannerFrame_->hide();
  outer->addWidget(bannerFrame_);

  // The form itself: one group per section, generated from the schema.
  auto* scroll = new QScrollArea(this);
  scroll->setObjectName("formScroll");
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* content = new QWidget(scroll);
  auto* column = new QVBoxLayout(content);
  column->setContentsMargins(0, 0, 4, 0);
  column->setSpacing(8);

  auto newForm = [](QWidget* parent) {
    auto* form = new QFormLayout(parent);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setFormAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setHorizontalSpacing(10);
    form->setVerticalSpacing(5);
    return form;
  };
  ExperimentConfig scratch;
  const std::vector<ConfigField> fields = configFields(scratch);
  editors_.resize(fields.size());
  std::map<QString, QFormLayout*> sections;
  for (size_t i = 0; i < fields.size(); ++i) {
    const ConfigField& f = fields[i];
    Editor& e = editors_[i];
    e.key = f.key;
    byKey_[f.key] = i;

    const QString key = QString::fromStdString(f.key);
    const int dot = key.indexOf('.');
    const QString section = dot >= 0 ? key.left(dot) : QString();  // "": top-level keys
    auto it = sections.find(section);
    if (it == sections.end()) {
      auto* box = new QGroupBox(sectionTitle(section), content);
      box->setObjectName("section:" + section);
      it = sections.emplace(section, newForm(box)).first;
      column->addWidget(box);
    }
    QFormLayout* form = it->second;
    QWidget* host = form->parentWidget();

    // Labels are the YAML key names, so what you see is what you write in a file.
    e.label = new QLabel(dot >= 0 ? key.mid(dot + 1) : key, host);
    const QString tip = QString::fromStdString(f.help) + "\n(" + key + ")";
    e.label->setToolTip(tip);

    // The field column: the editor row, then its error message directly under it.
    auto* cell = new QWidget(host);
    auto* cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(2);
    cellLayout->addWidget(makeEditor(e, f.help));
    e.input->setToolTip(tip);
    e.error = new QLabel(cell);
    e.error->setObjectName(key + ":error");
    e.error->setWordWrap(true);
    e.error->setStyleSheet(QString("color: %1;").arg(kErrorColor));
    QFont small = e.error->font();
    if (small.pointSizeF() > 0) small.setPointSizeF(small.pointSizeF() * 0.9);
    e.error->setFont(small);
    e.error->hide();
    cellLayout->addWidget(e.error);
    form->addRow(e.label, cell);
  }
  // One label column width for every group, so the editors line up down the whole form.
  int labelWidth = 0;
  for (const Editor& e : editors_) labelWidth = std::max(labelWidth, e.label->sizeHint().width());
  for (Editor& e : editors_) e.label->setMinimumWidth(labelWidth);
  column->addStretch(1);
  scroll->setWidget(content);
  outer->addWidget(scroll, 1);

  // Create run: below the scroll area so it never scrolls away; a summary says what blocks it.
  auto* bottom = new QHBoxLayout;
  status_ = new QLabel(this);
  status_->setObjectName("status");
  status_->setStyleSheet(QString("color: %1;").arg(kErrorColor));
  status_->setWordWrap(true);
  createRun_ = new QPushButton(tr("Create run"), this);
  createRun_->setObjectName("createRun");
  createRun_->setToolTip(tr("Create a run folder from this experiment"));
  connect(createRun_, &QPushButton::clicked, this, &ExperimentForm::createRunRequested);
  bottom->addWidget(status_, 1);
  bottom->addWidget(createRun_, 0, Qt::AlignRight | Qt::AlignVCenter);
  outer->addLayout(bottom);
}

QWidget* ExperimentForm::makeEditor(Editor& e, const std::string& help) {
  ExperimentConfig scratch;  // only for the field's type
  const auto fields = configFields(scratch);
  const ConfigField& f = fields[byKey_.at(e.key)];
  const QString key = QString::fromStdString(e.key);
  auto onEdit = [this] {
    if (!writing_) revalidate();
  };

  if (std::holds_alternative<bool*>(f.value)) {
    auto* box = new QCheckBox(QString::fromStdString(help));
    box->setObjectName(key);
    connect(box, &QCheckBox::toggled, this, onEdit);
    e.input = box;
    return box;
  }
  if (isStringField(f) && f.choices) {
    // The registry's choices, each with its one-line summary; keys that take more than the
    // listed names (training.device: cuda:N) can be typed into.
    auto* combo = new QComboBox;
    combo->setObjectName(key);
    for (const Choice& c : f.choices->choices()) {
      combo->addItem(QString::fromStdString(c.name));
      combo->setItemData(combo->count() - 1, QString::fromStdString(c.summary), Qt::ToolTipRole);
    }
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(8);
    connect(combo, &QComboBox::currentIndexChanged, this, onEdit);
    if (f.choices->acceptsMore()) {
      combo->setEditable(true);
      combo->setInsertPolicy(QComboBox::NoInsert);
      connect(combo, &QComboBox::editTextChanged, this, onEdit);
    }
    e.input = combo;
    return combo;
  }

  auto* line = new QLineEdit;
  line->setObjectName(key);
  connect(line, &QLineEdit::textChanged, this, onEdit);
  e.input = line;
  std::visit(
      [&](auto* p) {
        using T = std::remove_pointer_t<decltype(p)>;
        // Integers: a validator keeps letters out; int64 keys exceed QSpinBox's int range.
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
          const QString pattern =
              std::is_unsigned_v<T> ? R"(\+?[0-9]{0,20})" : R"([+-]?[0-9]{0,19})";
          line->setValidator(new QRegularExpressionValidator(QRegularExpression(pattern), line));
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          line->setPlaceholderText(tr("dataset default"));
        } else if constexpr (std::is_same_v<T, std::array<double, 2>>) {
          line->setPlaceholderText("[a, b]");
        } else if constexpr (std::is_same_v<T, std::array<double, 4>>) {
          line->setPlaceholderText("[[a, b], [c, d]]");
        }
      },
      f.value);

  if (f.path == PathKind::None) return line;
  // A path: typed or picked.
  line->setPlaceholderText(QString::fromStdString(f.help));
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  e.browse = new QPushButton(tr("Browse..."));
  e.browse->setObjectName(key + ":browse");
  connect(e.browse, &QPushButton::clicked, this, [this, k = e.key] { browsePath(k); });
  layout->addWidget(line, 1);
  layout->addWidget(e.browse);
  return row;
}

void ExperimentForm::browsePath(const std::string& key) {
  const ConfigField* field = schemaField(key);
  auto* line = qobject_cast<QLineEdit*>(editors_[byKey_.at(key)].input);
  QString start = QFileInfo(line->text()).absolutePath();
  if (line->text().isEmpty())
    start = currentFile_.isEmpty() ? QDir::homePath() : QFileInfo(currentFile_).absolutePath();
  const QString title = QString::fromStdString(field->help);
  QString picked;
  if (field->path == PathKind::Folder) {
    picked = QFileDialog::getExistingDirectory(this, title, start);
  } else {
    QString filter = QString::fromStdString(field->fileFilter);
    filter += filter.isEmpty() ? tr("All files (*)") : tr(";;All files (*)");
    picked = QFileDialog::getOpenFileName(this, title, start, filter);
  }
  if (!picked.isEmpty()) line->setText(picked);
}

void ExperimentForm::writeEditors(const ExperimentConfig& config) {
  ExperimentConfig copy = config;
  const auto fields = configFields(copy);
  writing_ = true;
  for (size_t i = 0; i < fields.size(); ++i) {
    QWidget* input = editors_[i].input;
    if (auto* box = qobject_cast<QCheckBox*>(input)) {
      box->setChecked(*std::get<bool*>(fields[i].value));
    } else if (auto* combo = qobject_cast<QComboBox*>(input)) {
      const QString value = displayText(fields[i]);
      int index = combo->findText(value);
      if (index < 0) {  // not an allowed value: keep it visible so its message makes sense
        combo->addItem(value);
        index = combo->count() - 1;
      }
      combo->setCurrentIndex(index);
    } else if (auto* line = qobject_cast<QLineEdit*>(input)) {
      line->setText(displayText(fields[i]));
      line->setCursorPosition(0);
    }
  }
  writing_ = false;
}

void ExperimentForm::setConfig(const ExperimentConfig& config) {
  writeEditors(config);
  currentFile_.clear();
  bannerFrame_->hide();
  revalidate();
}

void ExperimentForm::revalidate() {
  ExperimentConfig parsed = config_;
  const auto fields = configFields(parsed);
  std::vector<std::string> expected(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) expected[i] = readField(fields[i], editors_[i].input);

  // A bad value in a field that does not apply (and is about to be disabled) cannot block the
  // form: it reverts to the last good value.
  std::vector<ConfigIssue> found;
  std::vector<bool> unparsed(fields.size(), false);
  for (size_t i = 0; i < fields.size(); ++i) {
    if (expected[i].empty()) continue;
    if (!fieldApplies(fields[i].key, parsed)) {
      auto* line = qobject_cast<QLineEdit*>(editors_[i].input);
      const QSignalBlocker block(line);
      if (line) line->setText(displayText(fields[i]));
      continue;
    }
    const QString text = inputText(editors_[i].input).trimmed();
    const std::string got = text.isEmpty() ? "is empty" : "got '" + text.toStdString() + "'";
    found.push_back({fields[i].key, "key '" + fields[i].key + "': " + got + " (expected " +
                                        expected[i] + ")"});
    unparsed[i] = true;
  }
  for (const ConfigIssue& issue : validate(parsed)) {
    auto it = byKey_.find(issue.key);
    if (it == byKey_.end() || !unparsed[it->second]) found.push_back(issue);
  }
  // Reading order, so "the first issue" is the topmost one.
  std::stable_sort(found.begin(), found.end(), [this](const ConfigIssue& a, const ConfigIssue& b) {
    auto ia = byKey_.find(a.key), ib = byKey_.find(b.key);
    return (ia == byKey_.end() ? 0 : ia->second + 1) < (ib == byKey_.end() ? 0 : ib->second + 1);
  });
  issues_ = found;

  for (size_t i = 0; i < editors_.size(); ++i) {
    Editor& e = editors_[i];
    QStringList messages;
    for (const ConfigIssue& issue : issues_)
      if (issue.key == e.key) messages << localMessage(issue);
    const bool bad = !messages.isEmpty();
    e.error->setText(messages.join('\n'));
    e.error->setVisible(bad);
    const QString frame = bad ? QString("border: 1px solid %1; border-radius: 3px; padding: 2px;")
                                    .arg(kErrorColor)
                              : QString();
    if (e.input->styleSheet() != frame) e.input->setStyleSheet(frame);
    // A field with a problem stays editable even where it does not apply, so it can be fixed.
    const bool enabled = bad || fieldApplies(e.key, parsed);
    if (auto* line = qobject_cast<QLineEdit*>(e.input);
        line && std::holds_alternative<std::optional<double>*>(fields[i].value)) {
      const std::string d = choiceDefault(e.key, parsed);
      line->setPlaceholderText(d.empty() ? tr("default") : tr("default: %1").arg(QString::fromStdString(d)));
    }
    e.input->setEnabled(enabled);
    e.label->setEnabled(enabled);
    if (e.browse) e.browse->setEnabled(enabled);
  }

  const bool valid = issues_.empty();
  createRun_->setEnabled(valid);
  if (valid) {
    status_->clear();
    status_->setToolTip({});
  } else {
    QStringList keys, all;
    for (const ConfigIssue& issue : issues_) {
      const QString k = QString::fromStdString(issue.key);
      if (!keys.contains(k)) keys << k;
      all << QString::fromStdString(issue.message);
    }
    const QString count = keys.size() == 1 ? tr("1 field") : tr("%1 fields").arg(keys.size());
    QString text = tr("Fix %1: %2").arg(count, keys.mid(0, 2).join(", "));
    if (keys.size() > 2) text += QStringLiteral(", \u2026");
    status_->setText(text);
    status_->setToolTip(all.join('\n'));
  }

  const bool changed = valid && !diffExperiments(config_, parsed).empty();
  if (valid) config_ = parsed;
  if (valid != valid_) {
    valid_ = valid;
    Q_EMIT validityChanged(valid);
  }
  if (changed) Q_EMIT configChanged();
}

void ExperimentForm::showBanner(const QString& message) {
  banner_->setText(message);
  bannerFrame_->show();
}

bool ExperimentForm::loadFile(const QString& path, QString* error) {
  ExperimentConfig loaded;
  try {
    loaded = loadExperiment(QFile::encodeName(path).toStdString());
  } catch (const std::exception& e) {  // ConfigError (file:line: key ...) or FileError
    const QString message = QString::fromStdString(e.what());
    showBanner(message);
    if (error) *error = message;
    return false;
  }
  setConfig(loaded);
  currentFile_ = path;
  const QSignalBlocker block(presets_);
  presets_->setCurrentIndex(-1);
  return true;
}

bool ExperimentForm::saveFile(const QString& path, QString* error) {
  QString message;
  if (!isValid()) {
    message = tr("Not saved: %1").arg(QString::fromStdString(issues_.front().message));
  } else {
    try {
      saveExperiment(config_, QFile::encodeName(path).toStdString());
    } catch (const std::exception& e) {
      message = QString::fromStdString(e.what());
    }
  }
  if (!message.isEmpty()) {
    if (error) *error = message;
    return false;
  }
  currentFile_ = path;
  return true;
}

QStringList ExperimentForm::presetNames() {
  QStringList names;
  for (const QString& file : QDir(":/presets").entryList({"*.yaml"}, QDir::Files, QDir::Name))
    names << file.chopped(5);
  return names;
}

void ExperimentForm::loadPreset(const QString& name) {
  const QString base = name.endsWith(".yaml") ? name.chopped(5) : name;
  const QString resource = ":/presets/" + base + ".yaml";
  QFile file(resource);
  if (!file.open(QIODevice::ReadOnly)) {
    showBanner(tr("Unknown preset '%1' (available: %2)").arg(name, presetNames().join(", ")));
    return;
  }
  ExperimentConfig loaded;
  try {
    loaded = parseExperiment(file.readAll().toStdString(), resource.toStdString());
  } catch (const std::exception& e) {
    showBanner(QString::fromStdString(e.what()));
    return;
  }
  setConfig(loaded);
  const QSignalBlocker block(presets_);
  presets_->setCurrentIndex(presets_->findText(base));
}

}  // namespace flowscope::gui
