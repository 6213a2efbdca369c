#include "core/dist/Communicator.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if defined(FLOWSCOPE_WITH_NCCL)
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/torch.h>

#include <cstdlib>
#include <exception>

namespace flowscope {
namespace {

/// Waits for a collective and turns any failure into a DistributedError that says what to do.
void waitFor(const c10::intrusive_ptr<c10d::Work>& work, const char* what, int rank) {
  try {
    work->wait();
  } catch (const std::exception& e) {
    throw DistributedError(std::string("distributed ") + what + " failed on rank " + std::to_string(rank) +
                           ": another process of the run died, hung or cannot be reached (" + e.what() + ")");
  }
}

/// The same code over Gloo and NCCL: both take vectors of tensors and return a Work.
template <typename Backend>
class BackendCommunicator final : public Communicator {
 public:
  BackendCommunicator(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<Backend> pg, int rank, int size,
                      std::string name)
      : store_(std::move(store)), pg_(std::move(pg)), rank_(rank), size_(size), name_(std::move(name)) {}

  int rank() const override { return rank_; }
  int worldSize() const override { return size_; }
  std::string backend() const override { return name_; }

  void broadcast(const std::vector<torch::Tensor>& tensors, int root) override {
    torch::NoGradGuard noGrad;
    // Collectives need contiguous buffers; copies of non-contiguous tensors are written back.
    std::vector<std::vector<torch::Tensor>> buffers;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (const torch::Tensor& t : tensors) {
      buffers.push_back({t.is_contiguous() ? t : t.contiguous()});
      c10d::BroadcastOptions opts;
      opts.rootRank = root;
      works.push_back(pg_->broadcast(buffers.back(), opts));
    }
    for (auto& w : works) waitFor(w, "broadcast", rank_);
    for (size_t i = 0; i < tensors.size(); ++i)
      if (!tensors[i].is_contiguous()) tensors[i].copy_(buffers[i][0]);
  }

  void allReduceMean(const std::vector<torch::Tensor>& tensors, size_t bucketBytes) override {
    torch::NoGradGuard noGrad;
    // Buckets of consecutive tensors with one dtype: fewer, larger messages than one per tensor.
    std::vector<std::vector<size_t>> buckets;
    size_t bytes = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
      const size_t b = static_cast<size_t>(tensors[i].numel()) * tensors[i].element_size();
      const bool fresh = buckets.empty() || bytes + b > bucketBytes ||
                         tensors[buckets.back().front()].scalar_type() != tensors[i].scalar_type();
      if (fresh) buckets.emplace_back(), bytes = 0;
      buckets.back().push_back(i);
      bytes += b;
    }
    std::vector<std::vector<torch::Tensor>> flat(buckets.size());
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (size_t k = 0; k < buckets.size(); ++k) {
      std::vector<torch::Tensor> parts;
      for (size_t i : buckets[k]) parts.push_back(tensors[i].reshape({-1}));
      flat[k] = {torch::cat(parts)};
      c10d::AllreduceOptions opts;
      opts.reduceOp = c10d::ReduceOp::SUM;
      works.push_back(pg_->allreduce(flat[k], opts));
    }
    for (size_t k = 0; k < buckets.size(); ++k) {
      waitFor(works[k], "all-reduce", rank_);
      flat[k][0].div_(size_);
      int64_t offset = 0;
      for (size_t i : buckets[k]) {
        const int64_t n = tensors[i].numel();
        tensors[i].copy_(flat[k][0].narrow(0, offset, n).view_as(tensors[i]));
        offset += n;
      }
    }
  }

  void allReduceSum(torch::Tensor& tensor) override {
    std::vector<torch::Tensor> one{tensor};
    c10d::AllreduceOptions opts;
    opts.reduceOp = c10d::ReduceOp::SUM;
    waitFor(pg_->allreduce(one, opts), "all-reduce", rank_);
  }

  void barrier() override { waitFor(pg_->barrier(), "barrier", rank_); }

 private:
  c10::intrusive_ptr<c10d::Store> store_;  // kept alive: rank 0 hosts the rendezvous
  c10::intrusive_ptr<Backend> pg_;
  int rank_, size_;
  std::string name_;
};

/// The network device Gloo binds: GLOO_SOCKET_IFNAME when set (as PyTorch), loopback for a
/// single-host run on 127.0.0.1/localhost, else this host's address.
std::shared_ptr<::gloo::transport::Device> glooDevice(const DistributedEnv& env) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (env.masterAddr == "127.0.0.1" || env.masterAddr == "localhost")
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

std::unique_ptr<Communicator> Communicator::connect(const DistributedEnv& env, const c10::Device& device,
                                                    std::chrono::milliseconds timeout) {
  c10::intrusive_ptr<c10d::Store> store;
  try {
    c10d::TCPStoreOptions so;
    so.port = static_cast<std::uint16_t>(env.masterPort);
    so.isServer = env.isMain();
    so.numWorkers = static_cast<std::size_t>(env.worldSize);
    so.timeout = timeout;
    store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, so);
  } catch (const std::exception& e) {
    throw DistributedError("distributed rendezvous at " + env.masterAddr + ":" + std::to_string(env.masterPort) +
                           " failed on rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize) +
                           " (MASTER_ADDR/MASTER_PORT; is rank 0 running and the port free?): " + e.what());
  }
  try {
    if (device.is_cuda()) {
#if defined(FLOWSCOPE_WITH_NCCL)
      auto opts = c10d::ProcessGroupNCCL::Options::create();
      opts->timeout = timeout;
      auto pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.worldSize, opts);
      return std::make_unique<BackendCommunicator<c10d::ProcessGroupNCCL>>(store, pg, env.rank, env.worldSize, "nccl");
#else
      throw DistributedError("distributed training on CUDA needs NCCL, and this build has no NCCL "
                             "(configure against a CUDA LibTorch with NCCL; Gloo runs on the CPU)");
#endif
    }
    auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
    opts->devices.push_back(glooDevice(env));
    auto pg = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.worldSize, opts);
    return std::make_unique<BackendCommunicator<c10d::ProcessGroupGloo>>(store, pg, env.rank, env.worldSize, "gloo");
  } catch (const DistributedError&) {
    throw;
  } catch (const std::exception& e) {
    throw DistributedError("distributed process group on rank " + std::to_string(env.rank) + " failed: " + e.what());
  }
}

}  // namespace flowscope
