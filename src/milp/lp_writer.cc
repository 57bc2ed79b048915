// CPLEX LP format writer for MipModel, with the model's readable names
// (sanitised and de-duplicated by ColumnNames / RowNames). O(nonzeros).
//
// Ranged rows (finite lb < ub) are written as two rows "<name>_lo" and
// "<name>_hi"; free rows as "expr >= -1e+30" so every row keeps its name.
// Lines are wrapped so that none exceeds the 255-character limit of some
// readers.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "milp/model.h"

namespace diviml::milp {
namespace {

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Shorter round-trip form when it exists.
  for (int prec = 6; prec < 17; ++prec) {
    char b2[40];
    std::snprintf(b2, sizeof b2, "%.*g", prec, v);
    if (std::strtod(b2, nullptr) == v) return b2;
  }
  return buf;
}

class LineWriter {
 public:
  explicit LineWriter(std::ostringstream& out) : out_(out) {}
  void Start(const std::string& head) {
    out_ << head;
    len_ = head.size();
  }
  void Token(const std::string& t) {
    if (len_ + t.size() + 1 > 200) {
      out_ << "\n   ";
      len_ = 3;
    }
    out_ << ' ' << t;
    len_ += t.size() + 1;
  }
  void End() {
    out_ << '\n';
    len_ = 0;
  }

 private:
  std::ostringstream& out_;
  size_t len_ = 0;
};

void Terms(LineWriter& w, const std::vector<int>& index, const std::vector<double>& value,
           const std::vector<std::string>& names) {
  if (index.empty()) {
    // An empty expression is not valid LP syntax; "0 x" keeps it readable.
    w.Token("0");
    w.Token(names.empty() ? "c0" : names[0]);
    return;
  }
  bool first = true;
  for (size_t k = 0; k < index.size(); ++k) {
    double v = value[k];
    std::string sign = v < 0 ? "-" : "+";
    if (first && v >= 0) sign = "";
    first = false;
    if (!sign.empty()) w.Token(sign);
    w.Token(Num(std::fabs(v)));
    w.Token(names[index[k]]);
  }
}

}  // namespace

std::string LpFormatText(const MipModel& model) {
  const std::vector<std::string> cn = ColumnNames(model);
  const std::vector<std::string> rn = RowNames(model);
  std::ostringstream out;
  LineWriter w(out);
  out << "\\ Problem name: " << model.name << "\n";
  out << "\\ " << model.num_columns() << " columns (" << model.num_integers()
      << " integer), " << model.num_rows() << " rows, " << model.num_nonzeros()
      << " nonzeros\n";
  out << (model.minimise ? "Minimize\n" : "Maximize\n");
  {
    std::vector<int> idx;
    std::vector<double> val;
    for (int j = 0; j < model.num_columns(); ++j)
      if (model.columns[j].cost != 0) {
        idx.push_back(j);
        val.push_back(model.columns[j].cost);
      }
    w.Start(" obj:");
    if (!cn.empty()) Terms(w, idx, val, cn);
    if (model.objective_offset != 0) {
      w.Token(model.objective_offset < 0 ? "-" : "+");
      w.Token(Num(std::fabs(model.objective_offset)));
    }
    w.End();
  }
  out << "Subject To\n";
  for (int i = 0; i < model.num_rows(); ++i) {
    const MipRow& r = model.rows[i];
    const bool lo = std::isfinite(r.lb), hi = std::isfinite(r.ub);
    auto row = [&](const std::string& name, const char* sense, double rhs) {
      w.Start(" " + name + ":");
      Terms(w, r.index, r.value, cn);
      w.Token(sense);
      w.Token(Num(rhs));
      w.End();
    };
    if (lo && hi && r.lb == r.ub) {
      row(rn[i], "=", r.lb);
    } else if (lo && hi) {
      row(rn[i] + "_lo", ">=", r.lb);
      row(rn[i] + "_hi", "<=", r.ub);
    } else if (lo) {
      row(rn[i], ">=", r.lb);
    } else if (hi) {
      row(rn[i], "<=", r.ub);
    } else {
      row(rn[i], ">=", -1e30);
    }
  }
  out << "Bounds\n";
  std::vector<int> binaries, generals;
  for (int j = 0; j < model.num_columns(); ++j) {
    const MipColumn& c = model.columns[j];
    if (c.is_integer && c.lb == 0 && c.ub == 1) {
      binaries.push_back(j);
      continue;
    }
    if (c.is_integer) generals.push_back(j);
    const bool lo = std::isfinite(c.lb), hi = std::isfinite(c.ub);
    if (!lo && !hi) {
      out << " " << cn[j] << " free\n";
    } else if (lo && hi && c.lb == c.ub) {
      out << " " << cn[j] << " = " << Num(c.lb) << "\n";
    } else if (lo && hi) {
      out << " " << Num(c.lb) << " <= " << cn[j] << " <= " << Num(c.ub) << "\n";
    } else if (lo) {
      if (c.lb != 0) out << " " << cn[j] << " >= " << Num(c.lb) << "\n";
    } else {
      out << " -inf <= " << cn[j] << " <= " << Num(c.ub) << "\n";
    }
  }
  if (!generals.empty()) {
    out << "Generals\n";
    w.Start("");
    for (int j : generals) w.Token(cn[j]);
    w.End();
  }
  if (!binaries.empty()) {
    out << "Binaries\n";
    w.Start("");
    for (int j : binaries) w.Token(cn[j]);
    w.End();
  }
  out << "End\n";
  return out.str();
}

std::string WriteLpFormat(const MipModel& model, const std::string& path) {
  std::ofstream f(path);
  if (!f) return path + ": cannot open for writing";
  f << LpFormatText(model);
  f.close();
  if (!f) return path + ": write failed";
  return "";
}

}  // namespace diviml::milp
