#pragma once
// Collectives among the processes of a distributed run on PyTorch's own c10d (there is no C++
// DistributedDataParallel): rendezvous through a TCPStore hosted by rank 0, ProcessGroupGloo on
// CPUs, ProcessGroupNCCL on GPUs when LibTorch was built with it. Data parallelism needs three
// things from it: the same initial weights (broadcast), averaged gradients (bucketed all-reduce)
// and a barrier.
//
//   auto env = DistributedEnv::fromEnvironment();        // from torchrun's variables
//   auto comm = Communicator::connect(*env, torch::kCPU);
//   comm->broadcast(params);                             // rank 0's initial weights
//   loss.backward();
//   comm->allReduceMean(grads);                          // then step the optimizer as usual

#include <torch/types.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/dist/DistributedEnv.h"

namespace flowscope {

/// A collective failed: a peer died, hung past the timeout, or could not be reached.
class DistributedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Communicator {
 public:
  virtual ~Communicator() = default;

  /// Connects to the other processes (blocks until all of WORLD_SIZE have joined or `timeout`).
  /// Every collective fails with DistributedError after `timeout` without its peers.
  static std::unique_ptr<Communicator> connect(const DistributedEnv& env, const c10::Device& device,
                                               std::chrono::milliseconds timeout = std::chrono::seconds(120));

  virtual int rank() const = 0;
  virtual int worldSize() const = 0;
  virtual std::string backend() const = 0;  ///< "gloo" or "nccl"

  /// Overwrites each tensor with rank `root`'s.
  virtual void broadcast(const std::vector<torch::Tensor>& tensors, int root = 0) = 0;
  /// Replaces each tensor by its mean over all ranks. Tensors are flattened into buckets of at
  /// most `bucketBytes` (one collective per bucket, all in flight at once).
  virtual void allReduceMean(const std::vector<torch::Tensor>& tensors, size_t bucketBytes = size_t{25} << 20) = 0;
  /// Replaces a tensor by its sum over all ranks (losses for the log, NaN flags).
  virtual void allReduceSum(torch::Tensor& tensor) = 0;
  virtual void barrier() = 0;
};

}  // namespace flowscope
