package io.thingpush.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void targetsOfTheSameKindAndStringsAreEqualWithTheSameHash() {
    Target a = Target.property("p", "d", "temp");
    Target b = Target.property(new String("p"), new String("d"), new String("temp"));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(Target.area("proj", "a1")).isEqualTo(Target.area("proj", "a1"));
    assertThat(Target.shares())
        .isEqualTo(new Target(Target.Kind.SHARES, null, null, null, null, null));
  }

  @Test
  void anyDifferingFieldMakesAnotherTarget() {
    Target base = new Target(Target.Kind.PROPERTY, "p", "d", "i", "proj", "a");
    List<Target> others =
        List.of(
            new Target(Target.Kind.DEVICE, "p", "d", "i", "proj", "a"),
            new Target(Target.Kind.PROPERTY, "q", "d", "i", "proj", "a"),
            new Target(Target.Kind.PROPERTY, "p", "e", "i", "proj", "a"),
            new Target(Target.Kind.PROPERTY, "p", "d", null, "proj", "a"),
            new Target(Target.Kind.PROPERTY, "p", "d", "i", "other", "a"),
            new Target(Target.Kind.PROPERTY, "p", "d", "i", "proj", "b"));

    for (Target other : others) {
      assertThat(base).isNotEqualTo(other);
      assertThat(other).isNotEqualTo(base);
    }
    assertThat(Target.device("p", "d")).isNotEqualTo(Target.sharedDevice("p", "d"));
    assertThat(base).isNotEqualTo(null).isNotEqualTo("p");
  }
}
