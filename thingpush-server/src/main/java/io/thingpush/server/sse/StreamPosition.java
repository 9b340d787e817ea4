package io.thingpush.server.sse;

/**
 * Where an SSE stream stands, for its {@code id:} lines (SPEC §10): a reconnect sends the last
 * id as {@code Last-Event-ID} and every subscription resumes from it as from {@code since}, so
 * an id must be a seq up to which every subscription of the stream has had all its events.
 *
 * <p>The stream's subscriptions are all asked at connect. Until each has its reply, no id is
 * sent (a browser keeps the id of the stream before, which still holds). Then the position is
 * the lowest seq of their replies (where the latest subscription started; a resume from there may
 * repeat an event of an earlier one, never skip one), carried by the last reply; then each live
 * push above every reply's seq, which arrives in seq order behind all that came before it, moves
 * the position to its seq. Replayed and snapshot pushes (at or below a reply's seq) move nothing.
 */
final class StreamPosition {
  static final long NONE = -1;

  private final int replies;
  private int replied;
  private long lowestSeam = Long.MAX_VALUE;
  private long highestSeam = NONE;
  private long position = NONE;

  /** @param replies how many subscriptions the stream asked for when it opened */
  StreamPosition(int replies) {
    this.replies = replies;
  }

  /** The id the frame of {@code type} with {@code seq} (-1: none) carries, or {@link #NONE}. */
  long idOf(String type, long seq) {
    if (type.equals("down.subRet")) {
      replied++;
      if (seq >= 0) {
        lowestSeam = Math.min(lowestSeam, seq);
        highestSeam = Math.max(highestSeam, seq);
      }
      if (replied == replies && highestSeam >= 0) {
        position = lowestSeam;
        return position;
      }
      return NONE;
    }
    if (type.equals("down.pub")
        && replied >= replies
        && highestSeam >= 0
        && seq > highestSeam
        && seq > position) {
      position = seq;
      return position;
    }
    return NONE;
  }
}
