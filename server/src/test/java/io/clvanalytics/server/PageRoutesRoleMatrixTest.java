package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clvanalytics.server.auth.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every page route against every role: anonymous visitors are sent to the sign-in page (302), a role the route does not name
 * gets 403, the roles it names get 200. A new route adds a row here.
 */
class PageRoutesRoleMatrixTest {

    private static final Set<Role> ALL = Set.of(Role.MANAGER, Role.ANALYST, Role.ADMIN);
    private static final Set<Role> ANALYSTS = Set.of(Role.ANALYST, Role.ADMIN);

    /** GET routes: path and the roles that may use it. */
    private static final List<Object[]> GETS = List.of(
            new Object[] {"/dashboard", ALL},
            new Object[] {"/charts/clv-distribution", ALL},
            new Object[] {"/charts/monthly-revenue", ALL},
            new Object[] {"/charts/segment-mix", ALL},
            new Object[] {"/charts/top-products", ALL},
            new Object[] {"/charts/quality-history", ANALYSTS},
            new Object[] {"/charts/survival", ANALYSTS},
            new Object[] {"/charts/product-trend/HX0", ANALYSTS},
            new Object[] {"/charts/tracking", ANALYSTS},
            new Object[] {"/charts/calibration", ANALYSTS},
            new Object[] {"/clients", ANALYSTS},
            new Object[] {"/clients/H0", ANALYSTS},
            new Object[] {"/products", ANALYSTS},
            new Object[] {"/products/HX0", ANALYSTS},
            new Object[] {"/retention", ANALYSTS},
            new Object[] {"/retention/at-risk.csv", ANALYSTS},
            new Object[] {"/quality", ANALYSTS},
            new Object[] {"/models", ANALYSTS},
            new Object[] {"/reports", ALL},
            new Object[] {"/reports/executive-summary", ALL},
            new Object[] {"/reports/data-quality/csv", ALL},
            new Object[] {"/admin/import", Set.of(Role.ADMIN)});

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.over(DemoStore.copyTo(dir, DemoStore.CUSTOMERS), dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPageRouteAnswersItsRolesAndRefusesTheOthers() {
        List<String> wrong = new ArrayList<>();
        for (Object[] row : GETS) {
            String path = (String) row[0];
            Set<Role> allowed = (Set<Role>) row[1];
            check(wrong, path, null, 302);
            for (Role role : ALL) {
                check(wrong, path, role, allowed.contains(role) ? 200 : 403);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aManagerIsRefusedFitNowAndQualityRunsWithThe403Page() {
        for (String path : List.of("/models/fit", "/quality/runs")) {
            var r = server.postAs(Role.MANAGER, "/dashboard", path, java.util.Map.of("model", "bgnbd"), b -> b);
            assertEquals(403, r.statusCode(), path);
            assertEquals(true, r.body().contains("id=\"error-status\">403"), r.body());
        }
    }

    private static void check(List<String> wrong, String path, Role role, int expected) {
        int status = server.getAs(role, path).statusCode();
        if (status != expected) {
            wrong.add(path + " as " + role + ": " + status + " (expected " + expected + ")");
        }
    }
}
