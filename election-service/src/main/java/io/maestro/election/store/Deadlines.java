package io.maestro.election.store;

/** Told the time until a group's next deadline after every transition, so a sweep runs right then. */
public interface Deadlines {
    void dueIn(long millis);
}
