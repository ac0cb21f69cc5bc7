#include "scan/digit_automaton.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>

namespace rd::scan {
namespace {

// The expression's tree. A leaf is a set of digits (bit d: digit d).
struct Node {
  enum class Kind { kDigits, kConcat, kAlt, kRepeat } kind = Kind::kDigits;
  std::uint16_t digits = 0;
  std::vector<std::unique_ptr<Node>> children;
  int min = 1, max = 1;  // kRepeat; max -1: unbounded
};

constexpr std::uint16_t kAllDigits = 0x3ff;

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  core::Result<std::unique_ptr<Node>> Parse() {
    auto node = Alternation();
    if (node && pos_ != p_.size()) return Error("unexpected '" + std::string(1, p_[pos_]) + "'");
    return node;
  }

 private:
  tl::unexpected<core::Error> Error(const std::string& what) const {
    return core::Fail(core::Errc::kInvalidArgument,
                      "digit pattern: " + what + " at " + std::to_string(pos_));
  }
  bool Eat(char c) {
    if (pos_ < p_.size() && p_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Number(int* out) {
    const std::size_t start = pos_;
    int v = 0;
    while (pos_ < p_.size() && p_[pos_] >= '0' && p_[pos_] <= '9' && v < 1000) {
      v = v * 10 + (p_[pos_++] - '0');
    }
    *out = v;
    return pos_ > start;
  }

  core::Result<std::unique_ptr<Node>> Alternation() {
    auto alt = std::make_unique<Node>();
    alt->kind = Node::Kind::kAlt;
    do {
      auto branch = Concatenation();
      if (!branch) return branch;
      alt->children.push_back(std::move(*branch));
    } while (Eat('|'));
    if (alt->children.size() == 1) return std::move(alt->children.front());
    return alt;
  }

  core::Result<std::unique_ptr<Node>> Concatenation() {
    auto concat = std::make_unique<Node>();
    concat->kind = Node::Kind::kConcat;
    while (pos_ < p_.size() && p_[pos_] != '|' && p_[pos_] != ')') {
      auto atom = Atom();
      if (!atom) return atom;
      auto node = Quantified(std::move(*atom));
      if (!node) return node;
      concat->children.push_back(std::move(*node));
    }
    return concat;
  }

  core::Result<std::unique_ptr<Node>> Atom() {
    auto leaf = std::make_unique<Node>();
    const char c = p_[pos_++];
    if (c >= '0' && c <= '9') {
      leaf->digits = static_cast<std::uint16_t>(1u << (c - '0'));
    } else if (c == '\\') {
      if (!Eat('d')) return Error("an escape other than \\d");
      leaf->digits = kAllDigits;
    } else if (c == '[') {
      const bool negated = Eat('^');
      while (!Eat(']')) {
        if (pos_ >= p_.size()) return Error("an unclosed class");
        char lo = p_[pos_++];
        if (lo == '\\') {
          if (!Eat('d')) return Error("an escape other than \\d in a class");
          leaf->digits |= kAllDigits;
          continue;
        }
        char hi = lo;
        if (pos_ + 1 < p_.size() && p_[pos_] == '-' && p_[pos_ + 1] != ']') {
          hi = p_[pos_ + 1];
          pos_ += 2;
        }
        if (lo < '0' || hi > '9' || lo > hi) return Error("a class with more than digits");
        for (char d = lo; d <= hi; ++d) leaf->digits |= static_cast<std::uint16_t>(1u << (d - '0'));
      }
      if (negated) leaf->digits = static_cast<std::uint16_t>(~leaf->digits & kAllDigits);
    } else if (c == '(') {
      if (Eat('?') && !Eat(':')) return Error("a group other than (?:)");
      auto inner = Alternation();
      if (!inner) return inner;
      if (!Eat(')')) return Error("an unclosed group");
      return inner;
    } else {
      --pos_;
      return Error("unsupported syntax");
    }
    return leaf;
  }

  core::Result<std::unique_ptr<Node>> Quantified(std::unique_ptr<Node> atom) {
    for (;;) {
      int min, max;
      if (Eat('?')) {
        min = 0, max = 1;
      } else if (Eat('*')) {
        min = 0, max = -1;
      } else if (Eat('+')) {
        min = 1, max = -1;
      } else if (Eat('{')) {
        if (!Number(&min)) return Error("a repeat without a count");
        max = min;
        if (Eat(',')) {
          if (!Number(&max)) max = -1;
        }
        if (!Eat('}') || (max >= 0 && max < min) || min > 64 || max > 64) {
          return Error("a bad repeat");
        }
      } else {
        return atom;
      }
      auto repeat = std::make_unique<Node>();
      repeat->kind = Node::Kind::kRepeat;
      repeat->min = min;
      repeat->max = max;
      repeat->children.push_back(std::move(atom));
      atom = std::move(repeat);
    }
  }

  std::string_view p_;
  std::size_t pos_ = 0;
};

// A Thompson automaton: per state, empty moves and moves on a set of digits.
struct Nfa {
  struct State {
    std::vector<int> empty;
    std::vector<std::pair<std::uint16_t, int>> moves;
  };
  std::vector<State> states;

  int Add() {
    states.emplace_back();
    return static_cast<int>(states.size()) - 1;
  }
  // Adds the paths of `node` from `from`; returns the state they end in.
  int Emit(const Node& node, int from) {
    switch (node.kind) {
      case Node::Kind::kDigits: {
        const int to = Add();
        states[static_cast<std::size_t>(from)].moves.emplace_back(node.digits, to);
        return to;
      }
      case Node::Kind::kConcat:
        for (const auto& child : node.children) from = Emit(*child, from);
        return from;
      case Node::Kind::kAlt: {
        const int end = Add();
        for (const auto& child : node.children) {
          // Each branch from a fresh state: a branch must not loop back into another's start.
          const int start = Add();
          states[static_cast<std::size_t>(from)].empty.push_back(start);
          states[static_cast<std::size_t>(Emit(*child, start))].empty.push_back(end);
        }
        return end;
      }
      case Node::Kind::kRepeat: {
        const Node& child = *node.children.front();
        for (int i = 0; i < node.min; ++i) from = Emit(child, from);
        if (node.max < 0) {
          const int loop = Add();
          states[static_cast<std::size_t>(from)].empty.push_back(loop);
          states[static_cast<std::size_t>(Emit(child, loop))].empty.push_back(loop);
          return loop;
        }
        const int end = Add();
        for (int i = node.min; i < node.max; ++i) {
          states[static_cast<std::size_t>(from)].empty.push_back(end);
          const int start = Add();
          states[static_cast<std::size_t>(from)].empty.push_back(start);
          from = Emit(child, start);
        }
        states[static_cast<std::size_t>(from)].empty.push_back(end);
        return end;
      }
    }
    return from;
  }

  // The states reachable from `set` by empty moves, sorted.
  std::vector<int> Closure(std::vector<int> set) const {
    std::vector<bool> seen(states.size());
    std::vector<int> stack = set;
    for (const int s : set) seen[static_cast<std::size_t>(s)] = true;
    while (!stack.empty()) {
      const int s = stack.back();
      stack.pop_back();
      for (const int t : states[static_cast<std::size_t>(s)].empty) {
        if (!seen[static_cast<std::size_t>(t)]) {
          seen[static_cast<std::size_t>(t)] = true;
          set.push_back(t);
          stack.push_back(t);
        }
      }
    }
    std::sort(set.begin(), set.end());
    return set;
  }
};

}  // namespace

core::Result<DigitAutomaton> DigitAutomaton::Compile(std::string_view pattern,
                                                     std::size_t max_states) {
  auto tree = Parser(pattern).Parse();
  if (!tree) return tl::unexpected(tree.error());
  Nfa nfa;
  const int start = nfa.Add();
  const int accept = nfa.Emit(**tree, start);
  // Subset construction: each automaton state is a set of the NFA's states.
  DigitAutomaton a;
  std::map<std::vector<int>, std::int32_t> ids;
  std::vector<std::vector<int>> sets = {nfa.Closure({start})};
  ids.emplace(sets.front(), 0);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    std::array<std::int32_t, 10> row;
    for (int d = 0; d < 10; ++d) {
      std::vector<int> to;
      for (const int s : sets[i]) {
        for (const auto& [digits, t] : nfa.states[static_cast<std::size_t>(s)].moves) {
          if (digits >> d & 1) to.push_back(t);
        }
      }
      if (to.empty()) {
        row[static_cast<std::size_t>(d)] = kDead;
        continue;
      }
      to = nfa.Closure(std::move(to));
      auto [it, added] = ids.emplace(to, static_cast<std::int32_t>(sets.size()));
      if (added) {
        if (sets.size() == max_states) {
          return core::Fail(core::Errc::kInvalidArgument, "digit pattern: too many states");
        }
        sets.push_back(std::move(to));
      }
      row[static_cast<std::size_t>(d)] = it->second;
    }
    a.next_.push_back(row);
    a.accepting_.push_back(std::binary_search(sets[i].begin(), sets[i].end(), accept));
  }
  return a;
}

bool DigitAutomaton::FullMatch(std::string_view s) const {
  std::int32_t state = 0;
  for (const char c : s) {
    const unsigned d = static_cast<unsigned char>(c) - '0';
    if (d > 9) return false;
    state = next_[static_cast<std::size_t>(state)][d];
    if (state == kDead) return false;
  }
  return accepting_[static_cast<std::size_t>(state)];
}

bool DigitAutomaton::PrefixMatch(std::string_view s) const {
  std::int32_t state = 0;
  if (accepting_[0]) return true;
  for (const char c : s) {
    const unsigned d = static_cast<unsigned char>(c) - '0';
    if (d > 9) return false;
    state = next_[static_cast<std::size_t>(state)][d];
    if (state == kDead) return false;
    if (accepting_[static_cast<std::size_t>(state)]) return true;
  }
  return false;
}

}  // namespace rd::scan
