package io.clvanalytics.server.web;

import io.clvanalytics.server.auth.Role;
import java.util.List;
import java.util.Set;

/**
 * One link of the navigation bar, shown to users holding one of its roles.
 *
 * @param label what the link says
 * @param href  where it goes (a page route)
 * @param roles who sees it; keep it equal to the roles of the route it links to
 */
public record NavItem(String label, String href, Set<Role> roles) {

    /**
     * The whole navigation, in display order. To add a page to the bar, add a line here with the
     * same roles as its route.
     */
    static final List<NavItem> ALL = List.of(
            new NavItem("Dashboard", "/dashboard", Set.of(Role.MANAGER, Role.ANALYST, Role.ADMIN)),
            new NavItem("Clients", "/clients", Set.of(Role.ANALYST, Role.ADMIN)),
            new NavItem("Products", "/products", Set.of(Role.ANALYST, Role.ADMIN)),
            new NavItem("Retention", "/retention", Set.of(Role.ANALYST, Role.ADMIN)),
            new NavItem("Quality", "/quality", Set.of(Role.ANALYST, Role.ADMIN)),
            new NavItem("Models", "/models", Set.of(Role.ANALYST, Role.ADMIN)),
            new NavItem("Reports", "/reports", Set.of(Role.MANAGER, Role.ANALYST, Role.ADMIN)),
            new NavItem("Schedules", "/schedules", Set.of(Role.MANAGER, Role.ANALYST, Role.ADMIN)),
            new NavItem("Import data", "/admin/import", Set.of(Role.ADMIN)),
            new NavItem("Admin", "/admin/tokens", Set.of(Role.ADMIN)));

    /** The items the holder of {@code held} may see. */
    static List<NavItem> visibleTo(Set<Role> held) {
        return ALL.stream().filter(i -> i.roles.stream().anyMatch(held::contains)).toList();
    }
}
