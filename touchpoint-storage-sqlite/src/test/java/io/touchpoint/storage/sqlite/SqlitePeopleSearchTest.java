package io.touchpoint.storage.sqlite;

import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PeopleSearchContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.touchpoint.core.model.IdentifierType.EMAIL;
import static io.touchpoint.core.model.IdentifierType.VISITOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PeopleSearchContract} on SQLite, whose index is the FTS5 trigram table identity_link_search in the index file
 * beside the database, written by the people-search index stage from the links waiting in
 * identity_link_search_pending.
 */
class SqlitePeopleSearchTest extends PeopleSearchContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }

    @Override
    protected long indexedLinksContaining(String text) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile());
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM identity_link_search WHERE identity_link_search MATCH ?")) {
            ps.setString(1, (String) SqliteDialect.INSTANCE.searchTerms(text).getFirst());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anErasedPersonsTrigramsLeaveTheIndexSegmentsAndTheFiles() throws Exception {
        // the letters w, x, y, z are in no other link: trigrams starting with them are stored whole, for the byte search;
        // one token contains the other (same profile and type): each link's own index row must go
        ingest(Duration.ofDays(-3), new Identifier(EMAIL, "jo.qwyz@shop.io"), new Identifier(VISITOR_TOKEN, "tok-xjq"),
                new Identifier(VISITOR_TOKEN, "tok-xjq-2"));
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "ann.lee@shop.io"), new Identifier(VISITOR_TOKEN, "tok-ann-1"));
        processAll();
        String erased = profile(new Identifier(EMAIL, "jo.qwyz@shop.io"));
        String kept = profile(new Identifier(EMAIL, "ann.lee@shop.io"));
        assertThat(profile(new Identifier(VISITOR_TOKEN, "tok-xjq-2"))).isEqualTo(erased);
        Set<Long> erasedRows = SearchIndexContents.rowsOf(indexFile(), erased);
        assertThat(erasedRows).hasSize(3);
        SearchIndexContents before = SearchIndexContents.of(indexFile());
        Set<String> onlyErased = before.termsOnlyIn(erasedRows);
        assertThat(onlyErased).contains("qwy", "xjq", "q-2").doesNotContain("sho", "tok");
        List<String> whole = before.storedWhole(onlyErased);
        assertThat(whole).as("the erased terms a byte search can see").hasSizeGreaterThanOrEqualTo(3);
        assertThat(whole).allSatisfy(t -> assertThat(before.segments()).as("the segments before the erasure").contains(t));

        assertThat(store.identity().erase(ws.id(), erased)).isTrue();

        SearchIndexContents after = SearchIndexContents.of(indexFile());
        assertThat(after.held(erasedRows)).as("rows of the erased links in the index").isEmpty();
        assertThat(after.rowsByTerm().keySet()).as("terms only the erased links had").doesNotContainAnyElementsOf(onlyErased);
        assertThat(whole).allSatisfy(t -> assertThat(after.segments()).as("the segments").doesNotContain(t));
        String files = SearchIndexContents.bytesOf(allFiles());
        assertThat(whole).allSatisfy(t -> assertThat(files).as("the database and index files and their WALs").doesNotContain(t));
        assertThat(files).as("the database and index files and their WALs").doesNotContain("jo.qwyz", "tok-xjq");
        SearchIndexContents.checkIntegrity(indexFile());
        assertThat(store.identity().people(ws.id(), "ann.lee", 10, null).items()).extracting(PersonSummary::profileId).containsExactly(kept);
        assertThat(store.identity().people(ws.id(), "tok-ann", 10, null).items()).extracting(PersonSummary::profileId).containsExactly(kept);
        assertThat(after.rowsByTerm()).containsKeys("sho", "tok", "ann");
    }

    @Test
    void linksWaitForTheIndexStageAndAnErasedPersonsWaitingLinksLeaveTheQueueAndTheFiles() throws Exception {
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "qzx.waiting@shop.io"));
        ingest(Duration.ofDays(-1), new Identifier(EMAIL, "ann.lee@shop.io"));
        resolveAll();
        String erased = profile(new Identifier(EMAIL, "qzx.waiting@shop.io"));
        assertThat(waitingLinks()).isEqualTo(2);
        assertThat(indexedLinksContaining("shop.io")).as("nothing indexed before the stage's step").isZero();

        assertThat(store.identity().erase(ws.id(), erased)).isTrue();
        assertThat(waitingLinks()).isEqualTo(1);
        String files = SearchIndexContents.bytesOf(allFiles());
        assertThat(files).as("the database and index files and their WALs").doesNotContain("qzx.waiting");
        assertThat(store.stages().peopleSearchIndex().step(100)).isEqualTo(1);
        assertThat(waitingLinks()).isZero();
        assertThat(indexedLinksContaining("shop.io")).isEqualTo(1);
    }

    @Test
    void aLostIndexFileIsBuiltAgainFromTheLinks() throws Exception {
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "ann.lee@shop.io"));
        ingest(Duration.ofDays(-1), new Identifier(EMAIL, "bob.lee@shop.io"));
        processAll();
        String ann = profile(new Identifier(EMAIL, "ann.lee@shop.io"));
        assertThat(waitingLinks()).isZero();
        store.close();
        for (Path f : SqliteFiles.searchIndexFiles(file())) java.nio.file.Files.deleteIfExists(f);

        store = openEmptyStore();
        assertThat(store.stages().peopleSearchIndex().step(1)).isEqualTo(1); // every link queued again, then indexed
        assertThat(waitingLinks()).as("waiting after the first step").isEqualTo(1);
        assertThat(people("ann.lee")).containsExactly(ann);
        processAll();
        assertThat(waitingLinks()).isZero();
        assertThat(indexedLinksContaining("lee@shop")).isEqualTo(2);
        assertThat(people("ann.lee")).containsExactly(ann);
    }

    /**
     * A backup restored beside the index file of the database as it went on: the index holds links the restored
     * database does not, and no longer the ones it let go of. It is built again for the restored database.
     */
    @Test
    void anIndexFileAheadOfTheDatabaseIsBuiltAgainForIt() throws Exception {
        ingest(Duration.ofDays(-3), new Identifier(EMAIL, "ann.lee@shop.io"));
        processAll();
        String ann = profile(new Identifier(EMAIL, "ann.lee@shop.io"));
        Path backup = dir.resolve("backup.db");
        SqliteFiles.snapshot(file(), backup);
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "bob.lee@shop.io"));
        processAll();
        assertThat(indexedLinksContaining("lee@shop")).isEqualTo(2);
        store.close();
        java.nio.file.Files.deleteIfExists(file().resolveSibling(SqliteStore.FILE_NAME + "-wal")); // gone on a clean close
        java.nio.file.Files.move(backup, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        store = openEmptyStore();
        processAll();
        assertThat(indexedLinksContaining("lee@shop")).as("only the restored database's link").isEqualTo(1);
        assertThat(indexedLinksContaining("bob.lee")).isZero();
        assertThat(people("lee@shop")).containsExactly(ann);
    }

    /** An index file of another database is not taken for this one's. */
    @Test
    void anotherDatabasesIndexFileIsBuiltAgainForThisOne() throws Exception {
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "ann.lee@shop.io"));
        processAll();
        store.close();
        Path other = dir.resolve("other");
        try (SqliteStore o = SqliteStore.inFolder(other)) {
            o.stages().peopleSearchIndex().step(10);
        }
        for (int i = 0; i < 3; i++) {
            java.nio.file.Files.deleteIfExists(SqliteFiles.searchIndexFiles(file()).get(i));
            Path theirs = SqliteFiles.searchIndexFiles(other.resolve(SqliteStore.FILE_NAME)).get(i);
            if (java.nio.file.Files.exists(theirs)) java.nio.file.Files.copy(theirs, SqliteFiles.searchIndexFiles(file()).get(i));
        }

        store = openEmptyStore();
        processAll();
        assertThat(indexedLinksContaining("ann.lee")).isEqualTo(1);
    }

    /** An erasure whose process stopped after its write, before the index file's: the stage's next step finishes it. */
    @Test
    void aRemovalLeftByAnInterruptedErasureIsDoneByTheNextStep() throws Exception {
        ingest(Duration.ofDays(-2), new Identifier(EMAIL, "qzx.gone@shop.io"));
        ingest(Duration.ofDays(-1), new Identifier(EMAIL, "ann.lee@shop.io"));
        processAll();
        String gone = profile(new Identifier(EMAIL, "qzx.gone@shop.io"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            PreparedStatement ps = c.prepareStatement("DELETE FROM identity_links WHERE profile_id = ?");
            ps.setString(1, gone);
            assertThat(ps.executeUpdate()).isEqualTo(1); // the erasure's write: its trigger queues the removal
        }
        assertThat(indexedLinksContaining("qzx.gone")).isEqualTo(1);

        assertThat(store.stages().peopleSearchIndex().step(100)).isZero();
        assertThat(indexedLinksContaining("qzx.gone")).isZero();
        assertThat(indexedLinksContaining("ann.lee")).isEqualTo(1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM identity_link_search_removals")) {
            rs.next();
            assertThat(rs.getLong(1)).as("removals queued").isZero();
        }
    }

    private List<String> people(String text) {
        return store.identity().people(ws.id(), text, 10, null).items().stream().map(PersonSummary::profileId).toList();
    }

    private long waitingLinks() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM identity_link_search_pending");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Path file() {
        return dir.resolve(SqliteStore.FILE_NAME);
    }

    private Path indexFile() {
        return SqliteDatabase.searchFile(file());
    }

    private List<Path> allFiles() {
        return List.of(file(), file().resolveSibling(SqliteStore.FILE_NAME + "-wal"), indexFile(),
                indexFile().resolveSibling(indexFile().getFileName() + "-wal"));
    }
}
