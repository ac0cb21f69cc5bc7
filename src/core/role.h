#pragma once

#include <optional>
#include <string_view>

namespace rd::core {

// What a console user or API token may do. Ordered: each role can do all that the roles
// below it can.
enum class Role { kViewer = 0, kAgent = 1, kAdmin = 2 };

const char* RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// A set of roles a route allows, as a bit mask over Role.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= Bit(r);
  }
  static constexpr RoleSet All() { return {Role::kViewer, Role::kAgent, Role::kAdmin}; }
  static constexpr RoleSet AgentsAndAdmins() { return {Role::kAgent, Role::kAdmin}; }
  static constexpr RoleSet AdminsOnly() { return {Role::kAdmin}; }

  constexpr bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  constexpr bool Empty() const { return bits_ == 0; }

 private:
  static constexpr unsigned Bit(Role r) { return 1u << static_cast<unsigned>(r); }
  unsigned bits_ = 0;
};

}  // namespace rd::core
