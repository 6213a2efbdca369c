#include "gui/views/nfe/NfeSweepJob.h"

#include <algorithm>

#include "core/api/Queries.h"
#include "gui/services/AsyncQuery.h"

namespace flowscope::gui {
namespace {
const QString kSweepKey = "nfe-sweep";
const QString kStripKey = "nfe-strip";
}  // namespace

NfeSweepJob::NfeSweepJob(AsyncQuery* queries, QObject* parent) : QObject(parent), queries_(queries) {}

NfeSweepJob::~NfeSweepJob() {
  // Posted results capture a QPointer to this job; cancelling also frees the pool sooner.
  if (queries_) {
    if (sweeping_) queries_->cancel(kSweepKey);
    if (sampling_) queries_->cancel(kStripKey);
  }
}

int NfeSweepJob::startSweep(std::vector<NfeRunJob> runs, const SweepSpec& spec) {
  if (!queries_) return 0;
  queries_->cancel(kStripKey);
  sampling_ = false;
  const int perRun = static_cast<int>(spec.solvers.size() * spec.steps.size() + spec.tolerances.size());
  const int total = perRun * static_cast<int>(runs.size());
  sweeping_ = true;
  QPointer<NfeSweepJob> self(this);
  queries_->submitWithPosts(
      kSweepKey,
      [runs, spec, perRun, total, self](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        for (size_t i = 0; i < runs.size() && !cancel.load(); ++i) {
          const int base = static_cast<int>(i) * perRun;
          SweepSpec runSpec = spec;
          if (isPointData(runs[i].model->config().data)) {
            runSpec.classifier.clear();  // it scores the image runs of a mixed sweep
          } else {
            // An image solve costs ~10^4 times a 2D one: fewer samples, and the paper's 1000-NFE
            // RK4 reference at most (Figure 7).
            runSpec.n = std::min<int64_t>(spec.n, kImageSweepSamples);
            const SweepReference ref = parseSweepReference(spec.reference);
            if (ref.solver == "rk4" && ref.steps > 250) runSpec.reference = "rk4:250";
          }
          SweepResult r = sweepModel(
              *runs[i].model, runSpec,
              [&post, self, base, total](int done, int) {
                post([self, v = base + done, total] {
                  if (self) Q_EMIT self->progress(v, total);
                });
              },
              &cancel);
          if (cancel.load()) return;  // a cancelled run's partial rows are not shown
          post([self, name = runs[i].name, color = runs[i].color, r] {
            if (self) Q_EMIT self->resultReady(name, color, r);
          });
        }
      },
      [self] {
        if (!self) return;
        self->sweeping_ = false;
        Q_EMIT self->sweepFinished();
      },
      [self](const QString& e) {
        if (!self) return;
        self->sweeping_ = false;
        Q_EMIT self->failed("sweep", e);
      });
  return total;
}

void NfeSweepJob::startStrip(std::vector<NfeRunJob> runs, const QString& solverName, int64_t n, uint64_t seed) {
  if (!queries_) return;
  sampling_ = true;
  const std::string solver = solverName.toStdString();
  QPointer<NfeSweepJob> self(this);
  queries_->submitWithPosts(
      kStripKey,
      [runs, solver, n, seed, self](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        for (const NfeRunJob& job : runs) {
          NfeStripRow row{job.name, job.color, dataBounds(job.model->config().data), {}, {}};
          // Evaluations per step, as the engine counts them: one step of one point.
          SolverSpec probe;
          probe.solver = solver;
          probe.steps = 1;
          int64_t stages = 1;
          samplePoints(*job.model, 1, seed, probe, &stages);
          for (int nfe : NfeScene::stripNfes()) {
            if (cancel.load()) return;
            SolverSpec s;
            s.solver = solver;
            s.steps = std::max<int>(1, nfe / static_cast<int>(std::max<int64_t>(1, stages)));
            int64_t used = 0;
            row.sets.push_back(samplePoints(*job.model, n, seed, s, &used));
            row.nfes.push_back(used);
          }
          post([self, row] {
            if (self) Q_EMIT self->stripRowReady(row);
          });
        }
      },
      [self] {
        if (!self) return;
        self->sampling_ = false;
        Q_EMIT self->stripFinished();
      },
      [self](const QString& e) {
        if (!self) return;
        self->sampling_ = false;
        Q_EMIT self->failed("strip", e);
      });
}

void NfeSweepJob::cancel() {
  if (queries_) {
    queries_->cancel(kSweepKey);
    queries_->cancel(kStripKey);
  }
  sweeping_ = sampling_ = false;
}

}  // namespace flowscope::gui
