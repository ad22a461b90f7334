package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2ResourceIdLookupsTest {

    private static final String HAPI_LOOKUP = "select rt1_0.res_id,rt1_0.fhir_id,rt1_0.res_type from hfj_resource rt1_0"
            + " where (rt1_0.res_type=? and rt1_0.fhir_id=? or rt1_0.res_type=? and rt1_0.fhir_id=?"
            + " or rt1_0.res_type=? and rt1_0.fhir_id=?)";

    private final H2ResourceIdLookups inspector = new H2ResourceIdLookups();

    @Test
    void shouldTurnHapisOrOfTypeAndIdPairsIntoARowValueIn() {
        assertThat(inspector.inspect(HAPI_LOOKUP)).isEqualTo(
                "select rt1_0.res_id,rt1_0.fhir_id,rt1_0.res_type from hfj_resource rt1_0"
                        + " where ((rt1_0.res_type,rt1_0.fhir_id) in ((?,?),(?,?),(?,?)))");
    }

    @Test
    void shouldLeaveEveryOtherStatementAlone() {
        List<String> others = List.of(
                "select rt1_0.res_id from hfj_resource rt1_0 where (rt1_0.res_type=? and rt1_0.fhir_id=?)",
                "select r.res_id from hfj_resource r where (r.res_type=? and r.fhir_id=? or r.res_type=? and"
                        + " r.fhir_id=? and r.partition_id=?)",
                "select a.res_id from hfj_resource a, hfj_resource b where (a.res_type=? and b.fhir_id=? or"
                        + " a.res_type=? and b.fhir_id=?)",
                "insert into hfj_resource (fhir_id,res_type) values (?,?)");
        others.forEach(sql -> assertThat(inspector.inspect(sql)).isEqualTo(sql));
    }

    /** The reason for it: H2 reads the whole index for the OR, and looks each pair up for the row-value IN. */
    @Test
    void h2ShouldAnswerTheRewrittenLookupFromTheIndexWithTheSameRows() throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:lookups;DB_CLOSE_DELAY=-1");
                Statement statement = db.createStatement()) {
            statement.execute("create table hfj_resource (res_id bigint primary key, res_type varchar(40),"
                    + " fhir_id varchar(64))");
            statement.execute("create unique index idx_res_type_fhir_id on hfj_resource (res_type, fhir_id)");
            statement.execute("insert into hfj_resource values (1, 'Patient', 'a'), (2, 'Observation', 'a'),"
                    + " (3, 'Patient', 'b'), (4, 'Encounter', 'c')");

            String plainPlan = plan(db, HAPI_LOOKUP);
            String rewrittenPlan = plan(db, inspector.inspect(HAPI_LOOKUP));

            assertThat(plainPlan).doesNotContain("IN(ROW");
            assertThat(rewrittenPlan).contains("IDX_RES_TYPE_FHIR_ID:  IN(ROW");
            assertThat(ids(db, inspector.inspect(HAPI_LOOKUP))).isEqualTo(ids(db, HAPI_LOOKUP)).containsExactly(1L, 3L, 4L);
        }
    }

    private static String plan(Connection db, String sql) throws SQLException {
        try (PreparedStatement explain = db.prepareStatement("explain " + sql)) {
            bind(explain);
            try (ResultSet rows = explain.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static List<Long> ids(Connection db, String sql) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql + " order by 1")) {
            bind(query);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        }
    }

    /** Patient/a, Patient/b, Encounter/c: not Observation/a, which has the same id under another type. */
    private static void bind(PreparedStatement statement) throws SQLException {
        String[] values = {"Patient", "a", "Patient", "b", "Encounter", "c"};
        for (int i = 0; i < values.length; i++) {
            statement.setString(i + 1, values[i]);
        }
    }
}
