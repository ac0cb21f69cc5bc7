#include "connectors/dataset.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "connectors/traversal.h"
#include "connectors/yaml_read.h"

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;
using namespace yaml_read;  // the dataset's YAML readers

// fides_meta, or its older name fidesops_meta.
YAML::Node Meta(const YAML::Node& n) {
  if (n["fides_meta"]) return n["fides_meta"];
  return n["fidesops_meta"];
}

core::Status LoadFields(const YAML::Node& list, const std::string& prefix, const std::string& place,
                        bool nested, Collection& c) {
  if (!list || list.IsNull()) return {};
  if (!list.IsSequence()) return tl::unexpected(Bad(place, "must be a list of fields"));
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node& fn = list[i];
    std::string at = place + "[" + std::to_string(i) + "]";
    if (!fn.IsMap()) return tl::unexpected(Bad(at, "must be a mapping with a name"));
    auto name = Scalar(fn["name"], at + ".name", true);
    if (!name) return tl::unexpected(name.error());
    if (!IsIdentifier(*name)) {
      return tl::unexpected(
          Bad(at + ".name",
              "'" + name->substr(0, 64) + "' is not an identifier ([A-Za-z_][A-Za-z0-9_]*)"));
    }
    at = place + "[" + prefix + *name + "]";
    Field f;
    f.name = prefix + *name;
    f.nested = nested;
    if (c.FindField(f.name)) return tl::unexpected(Bad(at, "listed twice"));
    auto cats = Strings(fn["data_categories"], at + ".data_categories");
    if (!cats) return tl::unexpected(cats.error());
    f.data_categories = std::move(*cats);
    const YAML::Node meta = Meta(fn);
    if (meta && !meta.IsNull()) {
      const std::string m = at + ".fides_meta";
      if (!meta.IsMap()) return tl::unexpected(Bad(m, "must be a mapping"));
      auto identity = Scalar(meta["identity"], m + ".identity", false);
      if (!identity) return tl::unexpected(identity.error());
      f.identity = *identity;
      auto pk = Bool(meta["primary_key"], m + ".primary_key");
      if (!pk) return tl::unexpected(pk.error());
      f.primary_key = *pk;
      auto type = Scalar(meta["data_type"], m + ".data_type", false);
      if (!type) return tl::unexpected(type.error());
      f.data_type = *type;
      const YAML::Node refs = meta["references"];
      if (refs && !refs.IsNull()) {
        if (!refs.IsSequence()) return tl::unexpected(Bad(m + ".references", "must be a list"));
        for (std::size_t r = 0; r < refs.size(); ++r) {
          const std::string rp = m + ".references[" + std::to_string(r) + "]";
          if (!refs[r].IsMap()) return tl::unexpected(Bad(rp, "must be a mapping"));
          Reference ref;
          auto dataset = Scalar(refs[r]["dataset"], rp + ".dataset", true);
          if (!dataset) return tl::unexpected(dataset.error());
          ref.dataset = *dataset;
          auto target = Scalar(refs[r]["field"], rp + ".field", true);
          if (!target) return tl::unexpected(target.error());
          const auto dot = target->find('.');
          if (dot == std::string::npos || dot == 0 || dot + 1 == target->size()) {
            return tl::unexpected(Bad(rp + ".field", "must be \"collection.field\""));
          }
          ref.collection = target->substr(0, dot);
          ref.field = target->substr(dot + 1);
          auto direction = Scalar(refs[r]["direction"], rp + ".direction", false);
          if (!direction) return tl::unexpected(direction.error());
          if (!direction->empty() && *direction != "from" && *direction != "to") {
            return tl::unexpected(Bad(rp + ".direction", "must be from or to"));
          }
          ref.direction = *direction;
          f.references.push_back(std::move(ref));
        }
      }
    }
    const YAML::Node sub = fn["fields"];
    c.fields.push_back(std::move(f));
    if (auto s = LoadFields(sub, prefix + *name + ".", at + ".fields", true, c); !s) return s;
  }
  return {};
}

core::Status LoadCollectionMeta(const YAML::Node& cn, const std::string& at, Collection& c) {
  const YAML::Node meta = Meta(cn);
  if (!meta || meta.IsNull()) return {};
  const std::string m = at + ".fides_meta";
  if (!meta.IsMap()) return tl::unexpected(Bad(m, "must be a mapping"));
  auto after = Strings(meta["erase_after"], m + ".erase_after");
  if (!after) return tl::unexpected(after.error());
  c.erase_after = std::move(*after);
  if (const YAML::Node o = meta["masking_strategy_override"]; o && !o.IsNull()) {
    auto strategy = Scalar(o.IsMap() ? o["strategy"] : YAML::Node(),
                           m + ".masking_strategy_override.strategy", true);
    if (!strategy) return tl::unexpected(strategy.error());
    if (*strategy != "delete") {
      return tl::unexpected(Bad(m + ".masking_strategy_override.strategy",
                                "only delete is supported on a collection"));
    }
    c.delete_rows = true;
  }
  if (const YAML::Node o = meta["rightsdesk_opt_out"]; o && !o.IsNull()) {
    const std::string p = m + ".rightsdesk_opt_out";
    if (!o.IsMap()) return tl::unexpected(Bad(p, "must be a mapping {field, value}"));
    auto field = Scalar(o["field"], p + ".field", true);
    if (!field) return tl::unexpected(field.error());
    auto value = Scalar(o["value"], p + ".value", true);
    if (!value) return tl::unexpected(value.error());
    c.opt_out = OptOutField{*field, *value};
  }
  return {};
}

core::Status CheckReferences(const Dataset& ds) {
  for (const auto& c : ds.collections) {
    const std::string at = "collections[" + c.name + "]";
    for (const auto& f : c.fields) {
      for (std::size_t r = 0; r < f.references.size(); ++r) {
        const Reference& ref = f.references[r];
        const std::string rp =
            at + ".fields[" + f.name + "].fides_meta.references[" + std::to_string(r) + "]";
        if (ref.dataset != ds.fides_key) {
          return tl::unexpected(Bad(rp + ".dataset", "no dataset '" + ref.dataset.substr(0, 64) +
                                                         "' (references stay within '" +
                                                         ds.fides_key + "')"));
        }
        const Collection* target = ds.FindCollection(ref.collection);
        if (!target) {
          return tl::unexpected(
              Bad(rp + ".field", "no collection '" + ref.collection.substr(0, 64) + "'"));
        }
        const Field* tf = target->FindField(ref.field);
        if (!tf) {
          return tl::unexpected(Bad(rp + ".field", "no field '" + ref.field.substr(0, 64) +
                                                       "' in collection '" + target->name + "'"));
        }
        if (f.nested || tf->nested) {
          return tl::unexpected(Bad(rp + ".field", "nested fields cannot be join keys in SQL"));
        }
      }
    }
    for (std::size_t i = 0; i < c.erase_after.size(); ++i) {
      const std::string& name = c.erase_after[i];
      const std::string p = at + ".fides_meta.erase_after[" + std::to_string(i) + "]";
      const auto dot = name.find('.');
      if (dot == std::string::npos || name.substr(0, dot) != ds.fides_key ||
          !ds.FindCollection(name.substr(dot + 1))) {
        return tl::unexpected(
            Bad(p, "no collection '" + name.substr(0, 64) + "' in dataset '" + ds.fides_key + "'"));
      }
    }
    if (c.opt_out) {
      const Field* f = c.FindField(c.opt_out->field);
      if (!f || f->nested) {
        return tl::unexpected(
            Bad(at + ".fides_meta.rightsdesk_opt_out.field",
                "no field '" + c.opt_out->field.substr(0, 64) + "' in '" + c.name + "'"));
      }
    }
  }
  return {};
}

}  // namespace

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    const bool alpha = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
    if (!alpha && !(i > 0 && ch >= '0' && ch <= '9')) return false;
  }
  return true;
}

const Field* Collection::FindField(const std::string& n) const {
  for (const auto& f : fields) {
    if (f.name == n) return &f;
  }
  return nullptr;
}

std::vector<const Field*> Collection::PrimaryKey() const {
  std::vector<const Field*> out;
  for (const auto& f : fields) {
    if (f.primary_key && !f.nested) out.push_back(&f);
  }
  return out;
}

const Collection* Dataset::FindCollection(const std::string& n) const {
  for (const auto& c : collections) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

core::Result<Dataset> LoadDataset(const std::string& yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Fail(Errc::kInvalidArgument, "dataset: not valid YAML (line " +
                                            std::to_string(e.mark.line + 1) + ", column " +
                                            std::to_string(e.mark.column + 1) + "): " + e.msg);
  }
  try {
    if (!root.IsMap() || !root["dataset"] || !root["dataset"].IsSequence()) {
      return Fail(Errc::kInvalidArgument,
                  "dataset: a Fides dataset YAML (\"dataset:\" with a list of datasets)");
    }
    const YAML::Node list = root["dataset"];
    if (list.size() != 1) {
      return Fail(Errc::kInvalidArgument, "dataset: exactly one dataset per data source (found " +
                                              std::to_string(list.size()) + ")");
    }
    const YAML::Node dn = list[0];
    if (!dn.IsMap()) return Fail(Errc::kInvalidArgument, "dataset[0]: must be a mapping");
    Dataset ds;
    auto key = Scalar(dn["fides_key"], "dataset[0].fides_key", true);
    if (!key) return tl::unexpected(key.error());
    ds.fides_key = *key;
    auto name = Scalar(dn["name"], "dataset[0].name", false);
    if (!name) return tl::unexpected(name.error());
    ds.name = *name;
    const YAML::Node cols = dn["collections"];
    if (!cols || !cols.IsSequence() || cols.size() == 0) {
      return Fail(Errc::kInvalidArgument, "collections: required, a list of collections");
    }
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const YAML::Node& cn = cols[i];
      std::string at = "collections[" + std::to_string(i) + "]";
      if (!cn.IsMap()) return Fail(Errc::kInvalidArgument, at + ": must be a mapping");
      auto cname = Scalar(cn["name"], at + ".name", true);
      if (!cname) return tl::unexpected(cname.error());
      if (!IsIdentifier(*cname)) {
        return Fail(Errc::kInvalidArgument, at + ".name: '" + cname->substr(0, 64) +
                                                "' is not an identifier ([A-Za-z_][A-Za-z0-9_]*)");
      }
      at = "collections[" + *cname + "]";
      if (ds.FindCollection(*cname)) return Fail(Errc::kInvalidArgument, at + ": listed twice");
      Collection c;
      c.name = *cname;
      auto cats = Strings(cn["data_categories"], at + ".data_categories");
      if (!cats) return tl::unexpected(cats.error());
      c.data_categories = std::move(*cats);
      if (!cn["fields"] || !cn["fields"].IsSequence() || cn["fields"].size() == 0) {
        return Fail(Errc::kInvalidArgument, at + ".fields: required, a list of fields");
      }
      if (auto s = LoadFields(cn["fields"], "", at + ".fields", false, c); !s) {
        return tl::unexpected(s.error());
      }
      if (auto s = LoadCollectionMeta(cn, at, c); !s) return tl::unexpected(s.error());
      ds.collections.push_back(std::move(c));
    }
    if (auto s = CheckReferences(ds); !s) return tl::unexpected(s.error());
    if (auto plan = PlanTraversal(ds); !plan) return tl::unexpected(plan.error());
    return ds;
  } catch (const YAML::Exception& e) {
    return Fail(Errc::kInvalidArgument, "dataset: " + e.msg);
  }
}

}  // namespace rd::connectors
