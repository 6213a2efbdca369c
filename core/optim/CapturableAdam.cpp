#include "core/optim/CapturableAdam.h"

#include <torch/torch.h>

#include "core/util/Error.h"

namespace flowscope {

CapturableAdam::CapturableAdam(std::vector<torch::Tensor> parameters, CapturableAdamOptions options)
    : params_(std::move(parameters)), options_(options) {
  if (params_.empty()) throw InputError("CapturableAdam: no parameters");
  if (!(options.lr >= 0) || !(options.beta1 >= 0 && options.beta1 < 1) || !(options.beta2 >= 0 && options.beta2 < 1) ||
      !(options.eps > 0) || !(options.weightDecay >= 0))
    throw InputError("CapturableAdam: expected lr >= 0, 0 <= beta1, beta2 < 1, eps > 0, weight_decay >= 0");
  // Double scalars: a float32 step count and bias corrections drift from the reference by 1e-7
  // per step; 0-dim tensors do not promote the float32 parameters they scale.
  const auto scalar = torch::TensorOptions().dtype(torch::kFloat64).device(params_.front().device());
  step_ = torch::zeros({}, scalar);
  lr_ = torch::full({}, options.lr, scalar);
  nonFinite_ = torch::zeros({}, scalar.dtype(torch::kBool));
  for (const auto& p : params_) {
    exp_avg_.push_back(torch::zeros_like(p));
    exp_avg_sq_.push_back(torch::zeros_like(p));
  }
}

void CapturableAdam::setLearningRate(double lr) { lr_.fill_(lr); }

void CapturableAdam::zeroGrad() {
  for (auto& p : params_)
    if (p.grad().defined()) p.mutable_grad().zero_();
}

void CapturableAdam::step() {
  torch::NoGradGuard noGrad;
  const auto& o = options_;
  // One finiteness flag for the whole step: a single bad gradient leaves every tensor as it was.
  std::vector<torch::Tensor> grads;
  grads.reserve(params_.size());
  torch::Tensor finite = torch::ones({}, nonFinite_.options());
  for (auto& p : params_) {
    torch::Tensor g = p.grad().defined() ? p.grad() : torch::zeros_like(p);
    if (o.weightDecay != 0) g = g + o.weightDecay * p;
    finite = finite.logical_and(torch::isfinite(g).all());
    grads.push_back(g);
  }
  nonFinite_.logical_or_(finite.logical_not());
  const torch::Tensor keep = finite.logical_not();
  step_.add_(finite.to(step_.scalar_type()));
  // Bias corrections from the device step count (eq. of Algorithm 1 in Kingma and Ba).
  const torch::Tensor bc1 = 1 - torch::pow(o.beta1, step_);
  const torch::Tensor bc2 = 1 - torch::pow(o.beta2, step_);
  const torch::Tensor stepSize = lr_ / bc1;
  const torch::Tensor bc2Sqrt = bc2.sqrt();
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor& p = params_[i];
    torch::Tensor& m = exp_avg_[i];
    torch::Tensor& v = exp_avg_sq_[i];
    const torch::Tensor& g = grads[i];
    torch::Tensor mNew = m * o.beta1 + g * (1 - o.beta1);
    torch::Tensor vNew = v * o.beta2 + g * g * (1 - o.beta2);
    torch::Tensor pNew = p - stepSize * mNew / (vNew.sqrt() / bc2Sqrt + o.eps);
    // torch::where, not a multiply by the flag: NaN * 0 is NaN.
    m.copy_(torch::where(keep, m, mNew));
    v.copy_(torch::where(keep, v, vNew));
    p.copy_(torch::where(keep, p, pNew));
  }
}

int64_t CapturableAdam::stepCount() const { return static_cast<int64_t>(step_.item<double>()); }
bool CapturableAdam::sawNonFinite() const { return nonFinite_.item<bool>(); }
void CapturableAdam::clearNonFinite() { nonFinite_.fill_(false); }

void CapturableAdam::save(torch::serialize::OutputArchive& archive) const {
  archive.write("step", step_.cpu());
  archive.write("lr", lr_.cpu());
  for (size_t i = 0; i < params_.size(); ++i) {
    archive.write("exp_avg." + std::to_string(i), exp_avg_[i]);
    archive.write("exp_avg_sq." + std::to_string(i), exp_avg_sq_[i]);
  }
}

void CapturableAdam::load(torch::serialize::InputArchive& archive) {
  torch::NoGradGuard noGrad;
  // A fresh tensor per read: InputArchive::read re-points a defined tensor at what it reads.
  const auto into = [&](const std::string& key, torch::Tensor& target) {
    torch::Tensor t;
    archive.read(key, t);
    if (!t.sizes().equals(target.sizes()))
      throw FileError("optimizer state '" + key + "' does not match the model");
    target.copy_(t);
  };
  into("step", step_);
  into("lr", lr_);
  for (size_t i = 0; i < params_.size(); ++i) {
    into("exp_avg." + std::to_string(i), exp_avg_[i]);
    into("exp_avg_sq." + std::to_string(i), exp_avg_sq_[i]);
  }
}

}  // namespace flowscope
