// Randomly wired networks (Xie, Kirillov, Girshick, He: "Exploring Randomly
// Wired Neural Networks for Image Recognition", ICCV 2019) as DiviML graphs.
//
// Each random stage samples an undirected graph (ER, BA or WS) on N nodes,
// orients every edge from the lower to the higher node index (a DAG), adds
// the stage's single input (the previous stage's output node, or the stem)
// feeding every node without predecessors, and a single output node ("Mean",
// the unweighted average of the paper) fed by every node without successors.
// A random node is weighted-sum aggregation of its inputs + ReLU + 3x3
// depthwise-separable conv + BN (op "SepConv"); nodes fed by the stage input
// have stride 2.
//
// Network (Table 1 of the paper), channels C, image 224:
//   small   (C=78):  conv1 3x3/2 C/2 (112) -> conv2 3x3/2 C (56) ->
//                    random stages with N, N, N nodes and C, 2C, 4C channels
//                    (28, 14, 7) -> classifier
//   regular (C=109 or 154): conv1 3x3/2 C/2 (112) -> random stages with
//                    N/2, N, N, N nodes and C, 2C, 4C, 8C channels
//                    (56, 28, 14, 7) -> classifier
//   classifier: 1x1 conv 1280 ("Conv"), GlobalAveragePool, Gemm 1000.
// `stages` (default 3 small, 4 regular) may differ from the paper's count:
// stage s has C * 2^s channels and halves the resolution (rounding up).
// Node count: 2 (host input/output) + 1 (conv1) + [1 (conv2), small only]
//   + sum over stages of (nodes_s + 1) + 3 (classifier), nodes_s = N except
//   N/2 (integer division) for the first stage of the regular regime.
// Node ids: "input:image", "conv1", "conv2", "s<k>/n<i>" (k, i from 1),
// "s<k>/out", "classifier/conv", "classifier/pool", "classifier/fc",
// "output:logits". Flops, output_bytes, param_bytes (FP32) and edge bytes
// (the source's output tensor) are filled like an imported model.
//
// Random numbers: std::mt19937_64 seeded with `seed`, with our own uniform
// real/integer sampling (no std:: distributions, whose output differs
// between standard libraries), so a seed gives the same graph everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "diviml/graph/graph.h"
#include "diviml/util/error.h"

namespace diviml {

enum class RandWireGenerator { kER, kBA, kWS };
enum class RandWireRegime { kSmall, kRegular };

struct RandWireOptions {
  RandWireGenerator generator = RandWireGenerator::kWS;
  RandWireRegime regime = RandWireRegime::kSmall;
  int n = 32;          // nodes per random stage (N)
  int stages = 0;      // random stages; 0 = regime default (3 small, 4 regular)
  uint64_t seed = 1;
  int channels = 0;    // C; 0 = regime default (78 small, 109 regular)
  int image_size = 224;
  int batch = 1;
  double er_p = 0.2;   // ER edge probability
  int ba_m = 5;        // BA edges per new node
  int ws_k = 4;        // WS ring degree (even)
  double ws_p = 0.75;  // WS rewiring probability
};

// Parses "ws,n=32,stages=3,seed=1[,regime=small|regular,k=4,p=0.75,m=5,
// channels=78,size=224,batch=1]" (the part after "randwire:"). The first
// field is the generator er|ba|ws; p is ER's or WS's probability, k is WS
// only, m is BA only. Throws InputError "randwire:SPEC: problem".
RandWireOptions ParseRandWireSpec(const std::string& spec);

// Checks the options (generator parameters valid for every stage's node
// count...). Throws InputError "randwire: problem".
void ValidateRandWireOptions(const RandWireOptions& options);

// The undirected random graph of one stage on n nodes, as edges (i, j) with
// i < j, sorted. Deterministic in (generator parameters, n, seed).
std::vector<std::pair<int, int>> RandomWiring(const RandWireOptions& options, int n, uint64_t seed);

// The whole network; finalized. Throws InputError on invalid options.
Graph RandWire(const RandWireOptions& options);

}  // namespace diviml
