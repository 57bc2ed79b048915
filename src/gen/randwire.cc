// RandWire networks (see include/diviml/randwire.h). Generation is
// O(stages * (N^2 + E)) for ER and O(stages * N * (k + m)) for WS/BA.
#include "diviml/gen/randwire.h"
#include "gen/portable_random.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <sstream>

namespace diviml {

namespace {

constexpr double kFloatBytes = 4;

using gen::UniformInt;
using gen::UniformReal;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

const char* GeneratorName(RandWireGenerator g) {
  switch (g) {
    case RandWireGenerator::kER: return "er";
    case RandWireGenerator::kBA: return "ba";
    case RandWireGenerator::kWS: return "ws";
  }
  return "?";
}

int DefaultStages(const RandWireOptions& o) { return o.regime == RandWireRegime::kSmall ? 3 : 4; }
int DefaultChannels(const RandWireOptions& o) { return o.regime == RandWireRegime::kSmall ? 78 : 109; }

int StageNodes(const RandWireOptions& o, int stage) {
  return (o.regime == RandWireRegime::kRegular && stage == 0) ? o.n / 2 : o.n;
}

int Half(int size) { return (size + 1) / 2; }

}  // namespace

void ValidateRandWireOptions(const RandWireOptions& o) {
  auto fail = [](const std::string& what) { throw InputError("randwire: " + what); };
  if (o.n < 1) fail("n must be >= 1");
  const int stages = o.stages > 0 ? o.stages : DefaultStages(o);
  if (o.stages < 0) fail("stages must be >= 1");
  if (stages > 16) fail("stages must be <= 16");
  if (o.channels < 0) fail("channels must be >= 1");
  const int c = o.channels > 0 ? o.channels : DefaultChannels(o);
  if (c < 2) fail("channels must be >= 2");
  if (o.image_size < 1) fail("size must be >= 1");
  if (o.batch < 1) fail("batch must be >= 1");
  for (int s = 0; s < stages; ++s) {
    const int n = StageNodes(o, s);
    const std::string where = " (stage " + std::to_string(s + 1) + " has " + std::to_string(n) + " nodes)";
    if (n < 1) fail("a stage needs at least 1 node" + where);
    switch (o.generator) {
      case RandWireGenerator::kER:
        if (!(o.er_p >= 0 && o.er_p <= 1)) fail("p must be in [0, 1]");
        break;
      case RandWireGenerator::kBA:
        if (o.ba_m < 1 || o.ba_m >= n) fail("m must satisfy 1 <= m < nodes" + where);
        break;
      case RandWireGenerator::kWS:
        if (!(o.ws_p >= 0 && o.ws_p <= 1)) fail("p must be in [0, 1]");
        if (o.ws_k < 2 || o.ws_k % 2 != 0 || o.ws_k >= n) fail("k must be even with 2 <= k < nodes" + where);
        break;
    }
  }
}

RandWireOptions ParseRandWireSpec(const std::string& spec) {
  RandWireOptions o;
  auto fail = [&](const std::string& what) { throw InputError("randwire:" + spec + ": " + what); };
  std::vector<std::string> fields;
  {
    std::string cur;
    std::istringstream in(spec);
    while (std::getline(in, cur, ',')) fields.push_back(cur);
    if (!spec.empty() && spec.back() == ',') fields.push_back("");
  }
  if (fields.empty() || fields[0].empty()) fail("expected a generator er, ba or ws first");
  std::string gen = fields[0];
  for (char& ch : gen) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (gen == "er") o.generator = RandWireGenerator::kER;
  else if (gen == "ba") o.generator = RandWireGenerator::kBA;
  else if (gen == "ws") o.generator = RandWireGenerator::kWS;
  else fail("unknown generator '" + fields[0] + "' (expected er, ba or ws)");

  auto to_int = [&](const std::string& key, const std::string& v, long long lo) {
    size_t used = 0;
    long long x = 0;
    try {
      x = std::stoll(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (v.empty() || used != v.size()) fail(key + "=" + v + " is not an integer");
    if (x < lo) fail(key + " must be >= " + std::to_string(lo));
    if (x > 1000000000LL) fail(key + " is too large");
    return x;
  };
  auto to_double = [&](const std::string& key, const std::string& v) {
    size_t used = 0;
    double x = 0;
    try {
      x = std::stod(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (v.empty() || used != v.size() || !std::isfinite(x)) fail(key + "=" + v + " is not a number");
    return x;
  };
  std::set<std::string> seen;
  for (size_t i = 1; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    auto eq = f.find('=');
    if (eq == std::string::npos) fail("expected key=value, got '" + f + "'");
    std::string key = f.substr(0, eq), value = f.substr(eq + 1);
    if (!seen.insert(key).second) fail("'" + key + "' given twice");
    if (key == "n") o.n = static_cast<int>(to_int(key, value, 1));
    else if (key == "stages") o.stages = static_cast<int>(to_int(key, value, 1));
    else if (key == "seed") {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
        fail("seed=" + value + " is not a non-negative integer");
      try {
        o.seed = std::stoull(value);
      } catch (const std::exception&) {
        fail("seed=" + value + " is out of range");
      }
    } else if (key == "regime") {
      if (value == "small") o.regime = RandWireRegime::kSmall;
      else if (value == "regular") o.regime = RandWireRegime::kRegular;
      else fail("regime must be small or regular, got '" + value + "'");
    } else if (key == "channels" || key == "c") o.channels = static_cast<int>(to_int(key, value, 2));
    else if (key == "size") o.image_size = static_cast<int>(to_int(key, value, 1));
    else if (key == "batch") o.batch = static_cast<int>(to_int(key, value, 1));
    else if (key == "p") {
      if (o.generator == RandWireGenerator::kBA) fail("p applies to er and ws only (ba takes m)");
      double p = to_double(key, value);
      if (!(p >= 0 && p <= 1)) fail("p must be in [0, 1]");
      (o.generator == RandWireGenerator::kER ? o.er_p : o.ws_p) = p;
    } else if (key == "k") {
      if (o.generator != RandWireGenerator::kWS) fail("k applies to ws only");
      o.ws_k = static_cast<int>(to_int(key, value, 2));
    } else if (key == "m") {
      if (o.generator != RandWireGenerator::kBA) fail("m applies to ba only");
      o.ba_m = static_cast<int>(to_int(key, value, 1));
    } else {
      fail("unknown key '" + key + "' (known: n, stages, seed, regime, channels, size, batch, p, k, m)");
    }
  }
  try {
    ValidateRandWireOptions(o);
  } catch (const InputError& e) {
    std::string msg = e.what();
    const std::string prefix = "randwire: ";
    if (msg.compare(0, prefix.size(), prefix) == 0) msg = msg.substr(prefix.size());
    fail(msg);
  }
  return o;
}

std::vector<std::pair<int, int>> RandomWiring(const RandWireOptions& o, int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::set<std::pair<int, int>> edges;
  auto norm = [](int a, int b) { return std::make_pair(std::min(a, b), std::max(a, b)); };
  switch (o.generator) {
    case RandWireGenerator::kER:
      for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j)
          if (UniformReal(rng) < o.er_p) edges.insert({i, j});
      break;
    case RandWireGenerator::kBA: {
      // Start with m isolated nodes; node m links to all of them; each later
      // node links to m distinct existing nodes drawn with probability
      // proportional to degree (uniform over the list of edge endpoints).
      const int m = o.ba_m;
      std::vector<int> targets(m), repeated;
      for (int i = 0; i < m; ++i) targets[i] = i;
      for (int source = m; source < n; ++source) {
        for (int t : targets) edges.insert(norm(source, t));
        repeated.insert(repeated.end(), targets.begin(), targets.end());
        repeated.insert(repeated.end(), m, source);
        targets.clear();
        while (static_cast<int>(targets.size()) < m) {
          int x = repeated[UniformInt(rng, repeated.size())];
          if (std::find(targets.begin(), targets.end(), x) == targets.end()) targets.push_back(x);
        }
      }
      break;
    }
    case RandWireGenerator::kWS: {
      // Ring lattice: each node joined to its k/2 neighbours on each side;
      // then, clockwise neighbour by neighbour, each edge (u, u+j) is
      // rewired with probability p to (u, w), w uniform, no self loops or
      // duplicate edges.
      const int half = o.ws_k / 2;
      std::vector<std::set<int>> adj(n);
      auto add = [&](int a, int b) {
        edges.insert(norm(a, b));
        adj[a].insert(b);
        adj[b].insert(a);
      };
      auto remove = [&](int a, int b) {
        edges.erase(norm(a, b));
        adj[a].erase(b);
        adj[b].erase(a);
      };
      for (int j = 1; j <= half; ++j)
        for (int u = 0; u < n; ++u) add(u, (u + j) % n);
      for (int j = 1; j <= half; ++j)
        for (int u = 0; u < n; ++u) {
          const int v = (u + j) % n;
          if (UniformReal(rng) < o.ws_p) {
            if (static_cast<int>(adj[u].size()) >= n - 1) continue;
            int w = static_cast<int>(UniformInt(rng, n));
            while (w == u || adj[u].count(w)) w = static_cast<int>(UniformInt(rng, n));
            if (!adj[u].count(v)) continue;  // already rewired away
            remove(u, v);
            add(u, w);
          }
        }
      break;
    }
  }
  return {edges.begin(), edges.end()};
}

Graph RandWire(const RandWireOptions& options) {
  ValidateRandWireOptions(options);
  RandWireOptions o = options;
  if (o.stages == 0) o.stages = DefaultStages(o);
  if (o.channels == 0) o.channels = DefaultChannels(o);
  const double batch = o.batch;

  Graph g;
  g.name = std::string("randwire-") + GeneratorName(o.generator) + "-n" + std::to_string(o.n) + "-s" +
           std::to_string(o.stages) + "-seed" + std::to_string(o.seed) +
           (o.regime == RandWireRegime::kRegular ? "-regular" : "");
  auto tensor = [&](int c, int h) { return batch * c * static_cast<double>(h) * h * kFloatBytes; };
  auto elems = [&](int c, int h) { return batch * c * static_cast<double>(h) * h; };

  // Host input.
  Node in;
  in.id = "input:image";
  in.op = "input";
  in.pin = "host";
  in.time_s["*"] = 0;
  in.output_bytes = tensor(3, o.image_size);
  int prev = g.AddNode(in);
  int prev_c = 3, prev_h = o.image_size;

  // conv1: 3x3 stride 2, 3 -> C/2, + BN.
  {
    const int c = o.channels / 2, h = Half(prev_h);
    Node n;
    n.id = "conv1";
    n.op = "Conv";
    n.flops = 2.0 * elems(c, h) * prev_c * 9 + 2 * elems(c, h);
    n.param_bytes = (9.0 * prev_c * c + 2.0 * c) * kFloatBytes;
    n.output_bytes = tensor(c, h);
    int v = g.AddNode(n);
    g.AddEdge(prev, v, tensor(prev_c, prev_h));
    prev = v, prev_c = c, prev_h = h;
  }
  // conv2 (small regime): ReLU + 3x3 stride 2 conv C/2 -> C + BN.
  if (o.regime == RandWireRegime::kSmall) {
    const int c = o.channels, h = Half(prev_h);
    Node n;
    n.id = "conv2";
    n.op = "Conv";
    n.flops = elems(prev_c, prev_h) + 2.0 * elems(c, h) * prev_c * 9 + 2 * elems(c, h);
    n.param_bytes = (9.0 * prev_c * c + 2.0 * c) * kFloatBytes;
    n.output_bytes = tensor(c, h);
    int v = g.AddNode(n);
    g.AddEdge(prev, v, tensor(prev_c, prev_h));
    prev = v, prev_c = c, prev_h = h;
  }

  for (int s = 0; s < o.stages; ++s) {
    const int nn = StageNodes(o, s);
    const int c = o.channels << s, h = Half(prev_h);
    const auto wiring = RandomWiring(o, nn, SplitMix64(o.seed ^ SplitMix64(static_cast<uint64_t>(s) + 1)));
    std::vector<std::vector<int>> preds(nn);
    std::vector<int> outdeg(nn, 0);
    for (auto [a, b] : wiring) {
      preds[b].push_back(a);
      ++outdeg[a];
    }
    const std::string prefix = "s" + std::to_string(s + 1) + "/";
    std::vector<int> ids(nn);
    for (int i = 0; i < nn; ++i) {
      const bool from_input = preds[i].empty();
      const int cin = from_input ? prev_c : c;
      const int hin = from_input ? prev_h : h;
      const int k = from_input ? 1 : static_cast<int>(preds[i].size());
      Node n;
      n.id = prefix + "n" + std::to_string(i + 1);
      n.op = "SepConv";
      const double aggregate = k > 1 ? (2.0 * k - 1) * elems(cin, hin) : 0;
      const double relu = elems(cin, hin);
      const double depthwise = 2.0 * 9 * elems(cin, h);
      const double pointwise = 2.0 * cin * elems(c, h);
      const double bn = 2 * elems(c, h);
      n.flops = aggregate + relu + depthwise + pointwise + bn;
      n.param_bytes = (k + 9.0 * cin + static_cast<double>(cin) * c + 2.0 * c) * kFloatBytes;
      n.output_bytes = tensor(c, h);
      ids[i] = g.AddNode(n);
      if (from_input) {
        g.AddEdge(prev, ids[i], tensor(prev_c, prev_h));
      } else {
        for (int p : preds[i]) g.AddEdge(ids[p], ids[i], tensor(c, h));
      }
    }
    int sinks = 0;
    for (int i = 0; i < nn; ++i) sinks += outdeg[i] == 0;
    Node out;
    out.id = prefix + "out";
    out.op = "Mean";
    out.flops = sinks > 1 ? static_cast<double>(sinks) * elems(c, h) : 0;
    out.output_bytes = tensor(c, h);
    const int vo = g.AddNode(out);
    for (int i = 0; i < nn; ++i)
      if (outdeg[i] == 0) g.AddEdge(ids[i], vo, tensor(c, h));
    prev = vo, prev_c = c, prev_h = h;
  }

  // Classifier: ReLU + 1x1 conv to 1280 + BN, global average pool, fc 1000.
  {
    const int c = 1280;
    Node n;
    n.id = "classifier/conv";
    n.op = "Conv";
    n.flops = elems(prev_c, prev_h) + 2.0 * prev_c * elems(c, prev_h) + 2 * elems(c, prev_h);
    n.param_bytes = (static_cast<double>(prev_c) * c + 2.0 * c) * kFloatBytes;
    n.output_bytes = tensor(c, prev_h);
    int v = g.AddNode(n);
    g.AddEdge(prev, v, tensor(prev_c, prev_h));
    prev = v, prev_c = c;
  }
  {
    Node n;
    n.id = "classifier/pool";
    n.op = "GlobalAveragePool";
    n.flops = elems(prev_c, prev_h);
    n.output_bytes = tensor(prev_c, 1);
    int v = g.AddNode(n);
    g.AddEdge(prev, v, tensor(prev_c, prev_h));
    prev = v, prev_h = 1;
  }
  {
    const int classes = 1000;
    Node n;
    n.id = "classifier/fc";
    n.op = "Gemm";
    n.flops = batch * (2.0 * prev_c * classes + classes);
    n.param_bytes = (static_cast<double>(prev_c) * classes + classes) * kFloatBytes;
    n.output_bytes = batch * classes * kFloatBytes;
    int v = g.AddNode(n);
    g.AddEdge(prev, v, tensor(prev_c, 1));
    prev = v;
  }
  Node out;
  out.id = "output:logits";
  out.op = "output";
  out.pin = "host";
  out.time_s["*"] = 0;
  int v = g.AddNode(out);
  g.AddEdge(prev, v, batch * 1000 * kFloatBytes);

  if (auto err = g.Finalize()) throw InputError("randwire: internal error: " + *err);
  return g;
}

}  // namespace diviml
