#include "gui/app/RunListPanel.h"

#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include "gui/services/RunManager.h"
#include "gui/app/Theme.h"

namespace flowscope::gui {

RunListPanel::RunListPanel(RunManager* runs, QWidget* parent) : QWidget(parent), runs_(runs) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  list_ = new QListWidget(this);
  list_->setObjectName("runList");
  layout->addWidget(list_);
  auto* buttons = new QHBoxLayout;
  auto addButton = [&](const QString& text, const QString& tip, auto fn) {
    auto* b = new QToolButton(this);
    b->setText(text);
    b->setToolTip(tip);
    b->setObjectName("run-" + text.toLower());
    connect(b, &QToolButton::clicked, this, [this, fn] {
      const int id = currentRun();
      if (id >= 0) fn(id);
    });
    buttons->addWidget(b);
  };
  addButton("Start", "Start or resume training (F5)", [this](int id) { runs_->start(id); });
  addButton("Pause", "Pause after the current step (F6)", [this](int id) { runs_->pause(id); });
  addButton("Step", "Train a single step (F7)", [this](int id) { runs_->step(id, 1); });
  addButton("Stop", "Stop and write a checkpoint (F8)", [this](int id) { runs_->stop(id); });
  buttons->addStretch();
  layout->addLayout(buttons);

  connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
    Q_EMIT currentRunChanged(item ? item->data(Qt::UserRole).toInt() : -1);
  });
  connect(runs_, &RunManager::runAdded, this, [this](int id) {
    auto* item = new QListWidgetItem(list_);
    item->setData(Qt::UserRole, id);
    refresh(id);
    list_->setCurrentItem(item);
  });
  connect(runs_, &RunManager::runRemoved, this, [this](int id) { delete itemFor(id); });
  connect(runs_, &RunManager::statusChanged, this, &RunListPanel::refresh);
  connect(runs_, &RunManager::progressUpdated, this, &RunListPanel::refresh);
}

QListWidgetItem* RunListPanel::itemFor(int id) const {
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->data(Qt::UserRole).toInt() == id) return list_->item(i);
  return nullptr;
}

void RunListPanel::refresh(int id) {
  const RunRecord* r = runs_->run(id);
  QListWidgetItem* item = itemFor(id);
  if (!r || !item) return;
  item->setIcon(colorSwatch(r->color));
  item->setText(QString("%1\n%2 · step %3 / %4")
                    .arg(r->name, QString::fromUtf8(jobStateName(r->status.state)))
                    .arg(r->status.step)
                    .arg(r->config.training.steps));
  item->setToolTip(r->runDir + (r->status.message.empty() ? "" : "\n" + QString::fromStdString(r->status.message)));
}

int RunListPanel::currentRun() const {
  const QListWidgetItem* item = list_->currentItem();
  return item ? item->data(Qt::UserRole).toInt() : -1;
}

void RunListPanel::selectRun(int id) {
  if (QListWidgetItem* item = itemFor(id)) list_->setCurrentItem(item);
}

}  // namespace flowscope::gui
