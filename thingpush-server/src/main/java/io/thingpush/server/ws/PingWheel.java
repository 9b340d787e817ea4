package io.thingpush.server.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one timer ticks every period, for members that come and go: a ring of slots, one of which
 * is swept per turn of the timer (the period ÷ the slots). A member joins the slot that is swept
 * last in the ring's turn, so its first tick comes one period after it joined, up to one turn
 * sooner, and one period after each tick from then on. One event loop keeps one for the pings of
 * all its connections, instead of one timer each.
 */
final class PingWheel<M> {
  private final List<List<M>> slots;

  /** The slot the next sweep ticks. */
  private int next;

  private int size;

  PingWheel(int slots) {
    this.slots = new ArrayList<>(slots);
    for (int i = 0; i < slots; i++) {
      this.slots.add(new ArrayList<>());
    }
  }

  /** Adds {@code member}; the slot it returns is what {@link #leave} needs. */
  int join(M member) {
    int slot = (next + slots.size() - 1) % slots.size();
    slots.get(slot).add(member);
    size++;
    return slot;
  }

  /** Removes {@code member}, which joined {@code slot}; nothing when it is not there any more. */
  void leave(M member, int slot) {
    List<M> members = slots.get(slot);
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i) == member) {
        removeAt(members, i);
        return;
      }
    }
  }

  /**
   * Ticks each member of the next slot; one whose tick answers false leaves. The order of a slot's
   * members is not kept.
   */
  void sweep(Predicate<M> tick) {
    List<M> members = slots.get(next);
    next = (next + 1) % slots.size();
    for (int i = members.size() - 1; i >= 0; i--) {
      if (!tick.test(members.get(i))) {
        removeAt(members, i);
      }
    }
  }

  /** How many members it holds. */
  int size() {
    return size;
  }

  /** Removes the member at {@code i}, moving the slot's last one into its place. */
  private void removeAt(List<M> members, int i) {
    M last = members.remove(members.size() - 1);
    if (i < members.size()) {
      members.set(i, last);
    }
    size--;
  }
}
