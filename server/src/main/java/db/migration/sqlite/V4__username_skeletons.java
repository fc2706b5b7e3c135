package db.migration.sqlite;

import dev.parley.wire.UsernameSkeleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Adds {@code accounts.skeleton} (the username's confusable skeleton, {@link UsernameSkeleton})
 * with an index, and fills it for existing accounts. A Java migration so that the skeleton is
 * computed in one place. The index is not UNIQUE: look-alike pairs registered before this
 * version stay as they are; only new registrations are checked (SqliteAccountStore#create).
 */
public final class V4__username_skeletons extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("ALTER TABLE accounts ADD COLUMN skeleton TEXT");
        }
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT username FROM accounts");
             PreparedStatement update = connection.prepareStatement("UPDATE accounts SET skeleton = ? WHERE username = ?")) {
            while (rows.next()) {
                String username = rows.getString(1);
                update.setString(1, UsernameSkeleton.of(username));
                update.setString(2, username);
                update.executeUpdate();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE INDEX accounts_skeleton ON accounts (skeleton)");
        }
    }
}
