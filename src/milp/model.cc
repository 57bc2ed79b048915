#include "milp/model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <unordered_map>

namespace diviml::milp {

const char* MipStatusName(MipStatus s) {
  switch (s) {
    case MipStatus::kOptimal: return "optimal";
    case MipStatus::kFeasible: return "feasible";
    case MipStatus::kTimeLimit: return "time_limit";
    case MipStatus::kInfeasible: return "infeasible";
    case MipStatus::kUnbounded: return "unbounded";
    case MipStatus::kError: return "error";
  }
  return "error";
}

void AddTerm(std::vector<std::pair<int, double>>* terms, int column, double coef) {
  auto it = std::find_if(terms->begin(), terms->end(), [column](const auto& t) { return t.first == column; });
  if (it != terms->end())
    it->second += coef;
  else
    terms->emplace_back(column, coef);
}

int MipModel::AddColumn(std::string col_name, double lb, double ub, double cost,
                        bool is_integer) {
  columns.push_back(MipColumn{std::move(col_name), lb, ub, cost, is_integer});
  return static_cast<int>(columns.size()) - 1;
}

int MipModel::AddBinary(std::string col_name, double cost) {
  return AddColumn(std::move(col_name), 0, 1, cost, true);
}

int MipModel::AddRow(std::string row_name, double lb, double ub,
                     const std::vector<std::pair<int, double>>& terms) {
  MipRow row;
  row.name = std::move(row_name);
  row.lb = lb;
  row.ub = ub;
  row.index.reserve(terms.size());
  row.value.reserve(terms.size());
  for (const auto& [c, v] : terms) {
    row.index.push_back(c);
    row.value.push_back(v);
  }
  rows.push_back(std::move(row));
  return static_cast<int>(rows.size()) - 1;
}

int MipModel::AddRow(std::string row_name, double lb, double ub, std::vector<int> index,
                     std::vector<double> value) {
  rows.push_back(MipRow{std::move(row_name), lb, ub, std::move(index), std::move(value)});
  return static_cast<int>(rows.size()) - 1;
}

long long MipModel::num_nonzeros() const {
  long long nz = 0;
  for (const MipRow& r : rows) nz += static_cast<long long>(r.index.size());
  return nz;
}

int MipModel::num_integers() const {
  int k = 0;
  for (const MipColumn& c : columns) k += c.is_integer ? 1 : 0;
  return k;
}

std::string MipModel::Validate() const {
  std::ostringstream msg;
  for (int j = 0; j < num_columns(); ++j) {
    const MipColumn& c = columns[j];
    if (std::isnan(c.lb) || std::isnan(c.ub) || !std::isfinite(c.cost) || c.lb > c.ub ||
        c.lb == kMipInf || c.ub == -kMipInf) {
      msg << "column " << j << " '" << c.name << "': bad bounds [" << c.lb << ", " << c.ub
          << "] or cost " << c.cost;
      return msg.str();
    }
  }
  for (int i = 0; i < num_rows(); ++i) {
    const MipRow& r = rows[i];
    if (r.index.size() != r.value.size()) {
      msg << "row " << i << " '" << r.name << "': " << r.index.size() << " indices but "
          << r.value.size() << " values";
      return msg.str();
    }
    if (std::isnan(r.lb) || std::isnan(r.ub) || r.lb > r.ub || r.lb == kMipInf ||
        r.ub == -kMipInf) {
      msg << "row " << i << " '" << r.name << "': bad bounds [" << r.lb << ", " << r.ub << "]";
      return msg.str();
    }
    for (size_t k = 0; k < r.index.size(); ++k) {
      if (r.index[k] < 0 || r.index[k] >= num_columns() || !std::isfinite(r.value[k])) {
        msg << "row " << i << " '" << r.name << "': bad term " << r.value[k] << " * column "
            << r.index[k];
        return msg.str();
      }
    }
  }
  if (!std::isfinite(objective_offset)) return "objective offset is not finite";
  return "";
}

double MipModel::Objective(const std::vector<double>& x) const {
  double obj = objective_offset;
  const size_t n = std::min(x.size(), columns.size());
  for (size_t j = 0; j < n; ++j) obj += columns[j].cost * x[j];
  return obj;
}

double MipModel::MaxViolation(const std::vector<double>& x, std::string* where) const {
  if (x.size() != columns.size()) {
    if (where) *where = "solution has " + std::to_string(x.size()) + " values for " +
                        std::to_string(columns.size()) + " columns";
    return kMipInf;
  }
  double worst = 0;
  std::string worst_name;
  auto note = [&](double v, const std::string& kind, const std::string& name) {
    if (v > worst) {
      worst = v;
      worst_name = kind + " '" + name + "'";
    }
  };
  for (size_t j = 0; j < columns.size(); ++j) {
    const MipColumn& c = columns[j];
    if (!std::isfinite(x[j])) {
      note(kMipInf, "column", c.name);
      continue;
    }
    note(c.lb - x[j], "lower bound of", c.name);
    note(x[j] - c.ub, "upper bound of", c.name);
    if (c.is_integer) note(std::fabs(x[j] - std::round(x[j])), "integrality of", c.name);
  }
  for (const MipRow& r : rows) {
    double a = 0;
    for (size_t k = 0; k < r.index.size(); ++k) a += r.value[k] * x[r.index[k]];
    note(r.lb - a, "row", r.name);
    note(a - r.ub, "row", r.name);
  }
  if (where) *where = worst_name;
  return worst;
}

namespace {

bool NameChar(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '(' ||
         ch == ')' || ch == ',';
}

// Words an LP reader could take for a keyword or a number.
bool Reserved(const std::string& s) {
  static const char* kWords[] = {"min", "max", "minimize", "maximize", "minimise", "maximise",
                                 "minimum", "maximum", "st", "s.t.", "subject", "such", "that",
                                 "to", "bound", "bounds", "gen", "general", "generals", "int",
                                 "integer", "integers", "bin", "binary", "binaries", "semi",
                                 "semis", "sos", "end", "free", "inf", "infinity", "nan", "obj"};
  std::string lower;
  for (char ch : s) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  for (const char* w : kWords)
    if (lower == w) return true;
  // "e", "e12", "E7": exponent look-alikes.
  if (!lower.empty() && lower[0] == 'e') {
    size_t k = 1;
    while (k < lower.size() && std::isdigit(static_cast<unsigned char>(lower[k]))) ++k;
    if (k == lower.size()) return true;
  }
  return false;
}

std::string SanitiseOne(const std::string& name) {
  std::string s;
  s.reserve(name.size() + 1);
  // Square brackets start quadratic terms in LP files: use parentheses.
  for (char ch : name) s.push_back(ch == '[' ? '(' : ch == ']' ? ')' : NameChar(ch) ? ch : '_');
  // CPLEX LP: a name must not start with a digit or a period.
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.' || Reserved(s)))
    s.insert(s.begin(), '_');
  return s;
}

}  // namespace

std::vector<std::string> SanitisedNames(const std::vector<std::string>& names,
                                        char fallback_prefix) {
  std::vector<std::string> out(names.size());
  std::unordered_map<std::string, int> used;
  used.reserve(names.size() * 2);
  for (size_t i = 0; i < names.size(); ++i) {
    std::string s = SanitiseOne(names[i]);
    if (s.empty()) s = std::string(1, fallback_prefix) + std::to_string(i);
    out[i] = s;
    ++used[s];
  }
  // De-duplicate: later copies of a taken name get "_<k>" until unique.
  std::unordered_map<std::string, int> seen;
  for (size_t i = 0; i < out.size(); ++i) {
    if (used[out[i]] <= 1) continue;
    int k = seen[out[i]]++;
    if (k == 0) continue;  // the first keeps its name
    std::string base = out[i];
    std::string cand;
    do {
      cand = base + "_" + std::to_string(k++);
    } while (used.count(cand));
    used[cand] = 1;
    out[i] = cand;
  }
  return out;
}

std::vector<std::string> ColumnNames(const MipModel& model) {
  std::vector<std::string> raw;
  raw.reserve(model.columns.size());
  for (const MipColumn& c : model.columns) raw.push_back(c.name);
  return SanitisedNames(raw, 'c');
}

std::vector<std::string> RowNames(const MipModel& model) {
  std::vector<std::string> raw;
  raw.reserve(model.rows.size());
  for (const MipRow& r : model.rows) raw.push_back(r.name);
  return SanitisedNames(raw, 'r');
}

void FinishResult(const MipModel& model, const MipOptions& options, MipResult* r) {
  const double sense = model.minimise ? 1.0 : -1.0;
  if (model.columns.empty() && r->status != MipStatus::kError &&
      r->status != MipStatus::kInfeasible) {
    // Nothing to decide: the objective is the offset.
    r->status = MipStatus::kOptimal;
    r->objective = r->dual_bound = model.objective_offset;
    r->gap = 0;
    return;
  }
  if (r->has_solution()) {
    if (r->solution.size() != model.columns.size()) {
      r->message += (r->message.empty() ? "" : "; ") + std::string("backend returned ") +
                    std::to_string(r->solution.size()) + " values for " +
                    std::to_string(model.columns.size()) + " columns";
      r->solution.clear();
      r->status = MipStatus::kError;
    } else {
      r->objective = model.Objective(r->solution);
    }
  }
  if (!r->has_solution()) r->objective = sense * kMipInf;
  if (std::isnan(r->dual_bound)) r->dual_bound = -sense * kMipInf;
  // The caller's known bound: raises the dual bound, and an incumbent that
  // meets it is optimal. An incumbent better than it proves the "bound"
  // wrong: then it is ignored, with a warning.
  const double kb = options.known_bound;
  if (std::isfinite(kb)) {
    auto note = [&](const std::string& text) {
      r->message += (r->message.empty() ? "" : "; ") + text;
    };
    if (!r->has_solution()) {
      if (sense * (kb - r->dual_bound) > 0) r->dual_bound = kb;
    } else {
      const double diff = sense * (r->objective - kb);
      const double tol = OptimalityTolerance(r->objective, options.abs_gap_limit, options.gap_limit);
      if (diff < -tol) {
        note("warning: the solution is better than the known bound, which is ignored");
      } else {
        if (sense * (kb - r->dual_bound) > 0) r->dual_bound = kb;
        if (diff <= tol && (r->status == MipStatus::kFeasible || r->status == MipStatus::kTimeLimit)) {
          r->status = MipStatus::kOptimal;
          note("the solution meets the known bound");
        }
      }
    }
  }
  if (r->status == MipStatus::kOptimal && r->has_solution() &&
      (!std::isfinite(r->dual_bound) || sense * (r->dual_bound - r->objective) > 0))
    r->dual_bound = r->objective;
  if (r->has_solution() && std::isfinite(r->dual_bound)) {
    const double diff = std::max(0.0, sense * (r->objective - r->dual_bound));
    r->gap = diff / std::max(std::fabs(r->objective), 1e-9);
  } else {
    r->gap = kMipInf;
  }
}

}  // namespace diviml::milp
