#pragma once
// The experiment editor: one editor per config key, generated from configFields() so the form
// always matches the schema (a new key appears without touching this file); the choices of the
// combo boxes and which keys are greyed out come from the registries (core/registry). Every edit is parsed
// and validated at once; problems are shown under the field they concern, and only a valid form
// can be saved or turned into a run. Reads and writes the same YAML as the CLI.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <map>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

class QComboBox;
class QLabel;
class QPushButton;
class QFrame;

namespace flowscope::gui {

class ExperimentForm : public QWidget {
  Q_OBJECT
 public:
  explicit ExperimentForm(QWidget* parent = nullptr);
  ~ExperimentForm() override;

  /// Shows `config` in the editors (and validates it). Clears currentFile().
  void setConfig(const ExperimentConfig& config);
  /// The last valid config the editors held (the defaults before any valid edit).
  ExperimentConfig config() const { return config_; }
  bool isValid() const { return issues_.empty(); }
  /// Current problems: values that do not parse, then validate()'s issues.
  std::vector<ConfigIssue> issues() const { return issues_; }

  /// Loads a YAML experiment. On error shows it in the banner, leaves the form as it was, fills
  /// `error` and returns false.
  bool loadFile(const QString& path, QString* error = nullptr);
  /// Writes the config atomically; refuses (naming the first issue) while the form is invalid.
  bool saveFile(const QString& path, QString* error = nullptr);
  /// The file last loaded or saved; empty after setConfig() or a preset.
  QString currentFile() const { return currentFile_; }

  /// Loads a built-in preset by name ("checkerboard-fm-ot", ".yaml" optional).
  void loadPreset(const QString& name);
  /// Names of the built-in presets (":/presets/*.yaml"), without the extension.
  static QStringList presetNames();

 Q_SIGNALS:
  void configChanged();  ///< an edit produced a valid config that differs from the previous one
  void validityChanged(bool valid);
  void createRunRequested();

 private:
  struct Editor;

  void buildUi();
  QWidget* makeEditor(Editor& e, const std::string& help);
  void writeEditors(const ExperimentConfig& config);
  void revalidate();
  void showBanner(const QString& message);
  void browsePath(const std::string& key);

  std::vector<Editor> editors_;   // in configFields() order
  std::map<std::string, size_t> byKey_;
  ExperimentConfig config_;       // last valid
  std::vector<ConfigIssue> issues_;
  QString currentFile_;
  bool writing_ = false;          // editors are being filled programmatically
  bool valid_ = true;

  QComboBox* presets_ = nullptr;
  QFrame* bannerFrame_ = nullptr;
  QLabel* banner_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* createRun_ = nullptr;
};

}  // namespace flowscope::gui
