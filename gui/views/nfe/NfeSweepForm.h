#pragma once
// The NFE panel's controls: which runs, solvers (from the solver registry), step counts, dopri5
// tolerances, samples, seed and reference (checked by core's parseSweepReference, the parser the
// CLI uses), the buttons, progress and status, the quality metric and the strip's settings. It
// reads and writes a SweepSpec and says what is wrong next to the field; it starts nothing itself.

#include <QColor>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <map>
#include <set>
#include <vector>

#include "core/api/Sweeps.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace flowscope::gui {

class NfeSweepForm : public QWidget {
  Q_OBJECT
 public:
  explicit NfeSweepForm(QWidget* parent = nullptr);

  /// The controls as a spec; false (and the first problem in `firstError`) when a field is bad.
  bool readSpec(SweepSpec& out, QString* firstError) const;
  /// Sets the controls; metrics and referenceCount are kept as given.
  void setSpec(const SweepSpec& spec);
  /// Shows or hides the message beside each field.
  void validate();
  /// "steps", "tolerances", "reference", "solvers" or "classifier": the message shown; empty when
  /// valid.
  QString fieldMessage(const QString& field) const;

  void addRun(int id, const QString& name, const QColor& color);
  void removeRun(int id);
  bool hasRun(int id) const;
  QStringList runNames() const;
  void setRunChecked(const QString& name, bool checked);
  bool isRunChecked(const QString& name) const;
  std::vector<int> checkedRunIds() const;

  void setMetricKeys(const QStringList& keys, const QString& current);
  QString stripSolver() const;
  void setStripSolver(const QString& solver);
  int stripPoints() const;
  void setStripPoints(int n);
  uint64_t seed() const;

  void setBusy(bool sweeping, bool sampling);
  void setProgress(int done, int total);
  /// Every solve of the sweep done ("18 / 18 solves").
  void finishProgress();
  int progressValue() const;
  void setStatus(const QString& text, bool error = false);

  /// The fields as saved in sessions (the panel adds the metric).
  QJsonObject saveState() const;
  void restoreState(const QJsonObject& state);

 Q_SIGNALS:
  void sweepRequested();
  void cancelRequested();
  void stripRequested();
  void metricActivated(const QString& key);

 private:
  QWidget* buildSweepBox();
  QListWidgetItem* itemFor(int id) const;
  QColor errorColor() const;

  bool metrics_ = true;            // spec fields without a control: kept as set
  int64_t referenceCount_ = 5000;
  std::set<QString> uncheckedRuns_;  ///< by name, so new runs start checked

  QListWidget* runList_ = nullptr;
  std::map<QString, QCheckBox*> solverBoxes_;
  QLineEdit* stepsEdit_ = nullptr;
  QLineEdit* tolerancesEdit_ = nullptr;
  QLineEdit* referenceEdit_ = nullptr;
  QLabel* stepsMessage_ = nullptr;
  QLabel* tolerancesMessage_ = nullptr;
  QLabel* referenceMessage_ = nullptr;
  QLabel* solversMessage_ = nullptr;
  QLineEdit* classifierEdit_ = nullptr;
  QLabel* classifierMessage_ = nullptr;
  QSpinBox* samplesSpin_ = nullptr;
  QSpinBox* seedSpin_ = nullptr;
  QComboBox* metricCombo_ = nullptr;
  QComboBox* stripSolverCombo_ = nullptr;
  QSpinBox* stripPointsSpin_ = nullptr;
  QPushButton* runButton_ = nullptr;
  QPushButton* cancelButton_ = nullptr;
  QPushButton* stripButton_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
};

}  // namespace flowscope::gui
