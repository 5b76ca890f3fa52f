package io.maestro.election.rest;

import java.util.List;

/**
 * Optional body of a heartbeat.
 *
 * @param releasedKeys keys the candidate was told to release ({@code releasing}) and has stopped using: they
 *                     pass to their new holder at once instead of when the candidate's lease would have run out
 * @param releasedLeadership true when the candidate was told to hand the group's seat over
 *                           ({@code releasingLeadership}) and has stopped acting as leader: the preferred candidate
 *                           leads at once
 */
public record HeartbeatRequest(List<String> releasedKeys, Boolean releasedLeadership) {
}
