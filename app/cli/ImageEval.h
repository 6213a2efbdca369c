#pragma once
// `flowscope-cli eval` on an image run: NFE of the sampler, BPD on the test set (Table 1/4's
// protocol) and the Fréchet distance of the samples in a classifier's feature space.

#include "core/metrics/ClassifierFile.h"
#include "core/train/TrainedFlow.h"
#include "core/util/ArgParser.h"

namespace flowscope::cli {

/// Adds the image-only options of eval (--bpd, --k, --probes, --classifier) to its parser.
void addImageEvalOptions(ArgParser& parser);

/// The metrics of an image run as JSON values (printed and written by the caller).
std::map<std::string, double> evaluateImageRun(const ParsedArgs& args, const TrainedFlow& flow);

}  // namespace flowscope::cli
