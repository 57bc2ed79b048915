// The HTML report (docs/report.md): one self-contained page per result
// (inline CSS and JavaScript, no network, no external files). The C++ side
// computes everything the page draws, layout included, and embeds it as one
// JSON object (ReportData, shape "diviml-report-v1" in docs/report.md); the
// page only renders it. The exporter record "html" (src/export/exporters.cc)
// calls ResultHtml without extras.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "diviml/pipeline/pipeline.h"

namespace diviml {

struct ReportOptions {
  // Rows of a `diviml bench --json` file (CheckBenchJson), or null.
  nlohmann::json bench;
  // Extra views keyed by name (e.g. "llm" for the LLM planner's stages over
  // servers); copied into data.views, each drawn by the page's view of that
  // name when it has one.
  nlohmann::json views = nlohmann::json::object();
};

// The page's data: summary, devices, nodes (with their layout position),
// edges, modules, bounds, links, throughput figures, bench rows, views.
// O(V m + E) plus the layout (ReportLayout).
nlohmann::json ReportData(const Problem& problem, const Result& result, const ReportOptions& options = {});

// The whole page: the template with ReportData embedded (every '<' of the
// JSON escaped, so no data can close the script element).
std::string ResultHtml(const Problem& problem, const Result& result, const ReportOptions& options = {});

// Parses and checks a `diviml bench --json` file: a non-empty array of rows
// with graph, platform, solver, status, gap and solve_time_s. InputError
// "SOURCE: problem" otherwise (one line).
nlohmann::json CheckBenchJson(const std::string& text, const std::string& source);

// Layered layout of the graph, one band per module of FindModules (cut
// nodes in their own band, bands stacked top to bottom), so the page can
// collapse a module by shrinking its band. Within a band: igraph's Sugiyama
// layout (layers = longest path inside the band, crossing reduction by
// barycentres) when igraph is built in, else the same layering with a
// barycentre ordering here. Coordinates in pixels; O(V + E) per band plus
// the crossing reduction (O(iterations * (V + dummies) log) per band).
struct ReportLayout {
  std::string engine;             // "igraph-sugiyama" or "layered"
  std::vector<double> x, y;       // per node, inside its band (band y = 0)
  std::vector<int> band;          // per node
  struct Band {
    int module = -1;              // index into ModuleStructure::modules; -1 for a cut node
    int cut_node = -1;            // the node of a cut band
    double width = 0, height = 0;
    std::vector<int> nodes;
  };
  std::vector<Band> bands;        // top to bottom
  // Blocks: runs of consecutive bands (a segment of the module chain, so
  // it has one entry and one exit) with at least block_size nodes, a big
  // module alone in its block; the page collapses and expands blocks.
  // block_size = max(8, ceil(V / 25)), so a graph has at most ~25 blocks.
  struct Block {
    int first_band = 0, last_band = 0;  // inclusive
    int nodes = 0;
  };
  std::vector<Block> blocks;
};
// use_igraph = false forces the fallback (tests check both).
ReportLayout LayoutGraph(const Problem& problem, bool use_igraph = true);

// A distinct colour per operator class: ops sorted by name, hues spread
// by the golden angle, lightness alternating, so no two of the first 24
// classes share a colour. Deterministic. O(1).
std::string OpColor(int index);

}  // namespace diviml
