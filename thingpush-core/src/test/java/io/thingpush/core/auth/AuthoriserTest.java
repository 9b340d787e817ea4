package io.thingpush.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceGrant;
import io.thingpush.core.directory.DeviceTable;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Target;
import io.thingpush.protocol.ThingPushException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The grant rules of SPEC §5 and the 100009-before-100012 rule of SPEC §2. */
class AuthoriserTest {
  // Tenant "default": p-plant (a-site > a-hall > a-line1, a-site > a-office) and p-lab (a-lab).
  // Tenant "acme": p-acme (a-acme).
  private static final List<Tenant> TENANTS =
      List.of(new Tenant("default", "Default"), new Tenant("acme", "Acme"));
  private static final List<Project> PROJECTS =
      List.of(
          new Project("p-plant", "default", "Plant"),
          new Project("p-lab", "default", "Lab"),
          new Project("p-acme", "acme", "Acme works"));
  private static final List<Area> AREAS =
      List.of(
          new Area("a-site", "p-plant", null, "Site"),
          new Area("a-hall", "p-plant", "a-site", "Hall"),
          new Area("a-line1", "p-plant", "a-hall", "Line 1"),
          new Area("a-office", "p-plant", "a-site", "Office"),
          new Area("a-lab", "p-lab", null, "Lab floor"),
          new Area("a-acme", "p-acme", null, "Acme floor"));
  private static final List<Product> PRODUCTS =
      List.of(
          new Product("env-sensor", "default", "Env sensor", JsonNodeFactory.instance.objectNode()),
          new Product("acme-meter", "acme", "Meter", JsonNodeFactory.instance.objectNode()));
  private static final List<Device> DEVICES =
      List.of(
          new Device("env-sensor", "line1-01", "s", "default", "p-plant", "a-line1"),
          new Device("env-sensor", "hall-01", "s", "default", "p-plant", "a-hall"),
          new Device("env-sensor", "office-01", "s", "default", "p-plant", "a-office"),
          new Device("env-sensor", "loose-01", "s", "default", "p-plant", null),
          new Device("env-sensor", "lab-01", "s", "default", "p-lab", "a-lab"),
          new Device("acme-meter", "m-01", "s", "acme", "p-acme", "a-acme"));
  private static final Grant ALICE_PLANT = new Grant("default", "alice", "p-plant", null);
  private static final Grant BOB_HALL = new Grant("default", "bob", "p-plant", "a-hall");
  private static final Grant ACME_ALICE_WORKS = new Grant("acme", "alice", "p-acme", null);

  private static final Principal ROOT = user("default", "root", true);
  private static final Principal ALICE = user("default", "alice", false);
  private static final Principal BOB = user("default", "bob", false);
  private static final Principal CAROL = user("default", "carol", false);
  private static final Principal ACME_ALICE = user("acme", "alice", false);
  private static final Principal ACME_ADMIN = user("acme", "boss", true);

  private final AtomicReference<Directory> directory =
      new AtomicReference<>(directory(List.of(ALICE_PLANT, BOB_HALL, ACME_ALICE_WORKS)));
  private final Authoriser authoriser = new Authoriser(directory::get);

  private static Principal user(String tenant, String id, boolean admin) {
    return new Principal(tenant, id, admin, null, null, null);
  }

  private static Directory directory(List<Grant> grants) {
    return Directory.of(TENANTS, PROJECTS, AREAS, PRODUCTS, DEVICES, grants);
  }

  private static Target device(String name) {
    return Target.device(name.startsWith("m-") ? "acme-meter" : "env-sensor", name);
  }

  private static ErrorCode refusal(Executable check) {
    ThingPushException e = catchThrowableOfType(ThingPushException.class, check::execute);
    return e == null ? null : e.code();
  }

  private ErrorCode read(Principal user, Target target) {
    return refusal(() -> authoriser.checkReadable(user, target));
  }

  private ErrorCode visible(Principal user, String projectId) {
    return refusal(() -> authoriser.checkProjectVisible(user, projectId));
  }

  // ---- admin ---------------------------------------------------------------------------------

  @Test
  void anAdminReadsEveryProjectAreaAndDeviceOfItsTenant() {
    for (Target t :
        List.of(
            Target.project("p-plant"),
            Target.project("p-lab"),
            Target.area("p-plant", "a-office"),
            Target.area("p-lab", "a-lab"),
            device("line1-01"),
            device("loose-01"),
            device("lab-01"),
            Target.property("env-sensor", "lab-01", "temp"))) {
      assertThat(read(ROOT, t)).as("%s", t).isNull();
    }
    assertThat(visible(ROOT, "p-lab")).isNull();
  }

  @Test
  void anAdminOfAnotherTenantFindsNothing() {
    assertThat(read(ACME_ADMIN, Target.project("p-plant"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ACME_ADMIN, Target.area("p-plant", "a-hall"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ACME_ADMIN, device("line1-01"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(visible(ACME_ADMIN, "p-plant")).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ACME_ADMIN, device("m-01"))).isNull();
  }

  // ---- project grant -------------------------------------------------------------------------

  @Test
  void aProjectGrantReadsTheWholeProject() {
    for (Target t :
        List.of(
            Target.project("p-plant"),
            Target.area("p-plant", "a-site"),
            Target.area("p-plant", "a-line1"),
            device("line1-01"),
            device("office-01"),
            device("loose-01"),
            Target.property("env-sensor", "hall-01", "temp"))) {
      assertThat(read(ALICE, t)).as("%s", t).isNull();
    }
    assertThat(visible(ALICE, "p-plant")).isNull();
  }

  @Test
  void aProjectGrantDoesNotReachAnotherProjectOfTheTenant() {
    assertThat(read(ALICE, Target.project("p-lab"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(ALICE, Target.area("p-lab", "a-lab"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(ALICE, device("lab-01"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(visible(ALICE, "p-lab")).isEqualTo(ErrorCode.FORBIDDEN);
  }

  // ---- area grant ----------------------------------------------------------------------------

  @Test
  void anAreaGrantReadsThatAreaAndItsSubAreas() {
    for (Target t :
        List.of(
            Target.area("p-plant", "a-hall"),
            Target.area("p-plant", "a-line1"),
            device("hall-01"),
            device("line1-01"),
            Target.property("env-sensor", "line1-01", "temp"))) {
      assertThat(read(BOB, t)).as("%s", t).isNull();
    }
  }

  @Test
  void anAreaGrantDoesNotReachSiblingsParentsOrTheWholeProject() {
    assertThat(read(BOB, Target.area("p-plant", "a-site"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(BOB, Target.area("p-plant", "a-office"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(BOB, Target.project("p-plant"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(BOB, device("office-01"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(BOB, device("loose-01")))
        .as("a device outside any area")
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(BOB, Target.property("env-sensor", "office-01", "temp")))
        .isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void anAreaGrantMakesItsProjectVisibleAtConnect() {
    assertThat(visible(BOB, "p-plant")).isNull();
    assertThat(visible(BOB, "p-lab")).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void aUserWithoutGrantsReadsNothingButFindsWhatExists() {
    assertThat(read(CAROL, Target.project("p-plant"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(CAROL, Target.area("p-plant", "a-hall"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(read(CAROL, device("line1-01"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(visible(CAROL, "p-plant")).isEqualTo(ErrorCode.FORBIDDEN);
  }

  // ---- another tenant: not found, never forbidden --------------------------------------------

  @Test
  void whatBelongsToAnotherTenantIsNotFoundNeverForbidden() {
    // acme's alice holds grants in acme, and shares her user id with default's alice.
    for (Target t :
        List.of(
            Target.project("p-plant"),
            Target.project("p-lab"),
            Target.area("p-plant", "a-hall"),
            device("line1-01"),
            Target.property("env-sensor", "line1-01", "temp"))) {
      assertThat(read(ACME_ALICE, t)).as("%s", t).isEqualTo(ErrorCode.NOT_FOUND);
    }
    assertThat(visible(ACME_ALICE, "p-plant")).isEqualTo(ErrorCode.NOT_FOUND);

    for (Target t :
        List.of(Target.project("p-acme"), Target.area("p-acme", "a-acme"), device("m-01"))) {
      assertThat(read(ALICE, t)).as("%s", t).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(read(CAROL, t)).as("%s", t).isEqualTo(ErrorCode.NOT_FOUND);
    }
    assertThat(visible(ALICE, "p-acme")).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void grantsOfTheSameUserIdInAnotherTenantDoNotCount() {
    assertThat(read(ACME_ALICE, Target.project("p-acme"))).isNull();
    assertThat(read(ALICE, Target.project("p-plant"))).isNull();
    // Only default's alice holds a grant on p-plant; acme's alice cannot even see it exists.
    assertThat(read(ACME_ALICE, Target.project("p-plant"))).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void anotherTenantsThingReadsExactlyLikeOneThatDoesNotExist() {
    ThingPushException other =
        catchThrowableOfType(
            ThingPushException.class,
            () -> authoriser.checkReadable(ALICE, Target.project("p-acme")));
    ThingPushException none =
        catchThrowableOfType(
            ThingPushException.class,
            () -> authoriser.checkReadable(ALICE, Target.project("p-none")));
    ThingPushException otherDevice =
        catchThrowableOfType(
            ThingPushException.class, () -> authoriser.checkReadable(ALICE, device("m-01")));
    ThingPushException noDevice =
        catchThrowableOfType(
            ThingPushException.class, () -> authoriser.checkReadable(ALICE, device("m-99")));

    assertThat(other.code()).isEqualTo(none.code());
    assertThat(other.detail().replace("p-acme", "X"))
        .isEqualTo(none.detail().replace("p-none", "X"));
    assertThat(otherDevice.code()).isEqualTo(noDevice.code());
    assertThat(otherDevice.detail().replace("m-01", "X"))
        .isEqualTo(noDevice.detail().replace("m-99", "X"));
  }

  // ---- not found -----------------------------------------------------------------------------

  @Test
  void anAreaOfAnotherProjectIsNotFoundInTheProjectNamed() {
    assertThat(read(ROOT, Target.area("p-plant", "a-lab"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ALICE, Target.area("p-plant", "a-lab"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ALICE, Target.area("p-lab", "a-hall")))
        .as("not found comes before forbidden")
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ALICE, Target.area("p-plant", "a-acme"))).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void unknownThingsAreNotFound() {
    assertThat(read(ROOT, Target.project("p-none"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ROOT, Target.area("p-plant", "a-none"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ROOT, Target.area("p-none", "a-hall"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ROOT, Target.device("env-sensor", "nobody"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ROOT, Target.device("no-product", "line1-01"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(ROOT, Target.property("env-sensor", "nobody", "temp")))
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(visible(ROOT, "p-none")).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(read(CAROL, Target.area("p-lab", "a-none")))
        .as("not found comes before forbidden")
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  // ---- the directory can change --------------------------------------------------------------

  @Test
  void aRevokedGrantIsSeenByTheNextCheck() {
    assertThat(authoriser.isReadable(BOB, device("line1-01"))).isTrue();

    directory.set(directory(List.of(ALICE_PLANT, ACME_ALICE_WORKS)));

    assertThat(authoriser.isReadable(BOB, device("line1-01"))).isFalse();
    assertThat(read(BOB, device("line1-01"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThatCode(() -> authoriser.checkReadable(ALICE, device("line1-01")))
        .doesNotThrowAnyException();
  }

  // ---- device grants (shared devices) ------------------------------------------------------

  private static Directory withShares(List<DeviceGrant> shares) {
    return Directory.of(
        TENANTS,
        PROJECTS,
        AREAS,
        PRODUCTS,
        DeviceTable.of(DEVICES),
        List.of(ALICE_PLANT, BOB_HALL, ACME_ALICE_WORKS),
        List.of(),
        shares);
  }

  @Test
  void aSharedDeviceIsReadableAnywhereInTheTenantAndItsProjectVisible() {
    directory.set(withShares(List.of(new DeviceGrant("default", "carol", "env-sensor", "lab-01"))));

    assertThatCode(() -> authoriser.checkReadable(CAROL, device("lab-01")))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> authoriser.checkReadable(CAROL, Target.property("env-sensor", "lab-01", "temp")))
        .doesNotThrowAnyException();
    assertThatCode(() -> authoriser.checkProjectVisible(CAROL, "p-lab")).doesNotThrowAnyException();
    // The share reads the device, not its place.
    assertThat(
            catchThrowableOfType(
                    ThingPushException.class,
                    () -> authoriser.checkReadable(CAROL, Target.project("p-lab")))
                .code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(
            catchThrowableOfType(
                    ThingPushException.class,
                    () -> authoriser.checkReadable(CAROL, Target.area("p-lab", "a-lab")))
                .code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(
            catchThrowableOfType(
                    ThingPushException.class,
                    () -> authoriser.checkReadable(CAROL, device("office-01")))
                .code())
        .isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void aShareIsOfOneUserOfOneTenant() {
    directory.set(withShares(List.of(new DeviceGrant("default", "carol", "env-sensor", "lab-01"))));

    assertThat(
            catchThrowableOfType(
                    ThingPushException.class, () -> authoriser.checkReadable(BOB, device("lab-01")))
                .code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    // carol of acme is another user: the device is not even found in her tenant.
    assertThat(
            catchThrowableOfType(
                    ThingPushException.class,
                    () -> authoriser.checkReadable(user("acme", "carol", false), device("lab-01")))
                .code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void anUnsharedDeviceIsNoLongerReadable() {
    directory.set(withShares(List.of(new DeviceGrant("default", "carol", "env-sensor", "lab-01"))));
    assertThat(authoriser.isReadable(CAROL, device("lab-01"))).isTrue();

    directory.set(withShares(List.of()));

    assertThat(authoriser.isReadable(CAROL, device("lab-01"))).isFalse();
  }
}
