package io.touchpoint.core.stage;

/** The stages a storage backend runs on its own data; a runner in the server steps them. */
public interface Stages {
    IdentityStage identity();

    AttributionStage attribution();

    /**
     * Moves the identifiers of events-log entries, oldest first, from where ingest wrote them beside each entry into
     * the index an identifier search reads; a step's count is of entries moved. A search finds an entry before and
     * after it moved.
     */
    Stage eventLogIndex();

    /**
     * Counts resolved page views into the traffic overview's rollup (visits, landing pages, sources, visitors per day);
     * a step's count is of events read. It follows the identity stage's cursor.
     */
    Stage traffic();

    /**
     * Adds new identity links to the people search's trigram index in large batches, where the store's index costs far
     * less written that way (SQLite); a step's count is of links added. A search finds a link before and after it is
     * added; where the database keeps the index itself, a step has nothing to do.
     */
    Stage peopleSearchIndex();
}
