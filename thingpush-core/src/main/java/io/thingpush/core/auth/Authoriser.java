package io.thingpush.core.auth;

import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceGrant;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Project;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Target;
import io.thingpush.protocol.ThingPushException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The grant rules of SPEC §5: an admin reads every project of its tenant; a grant on a project
 * reads all of it; a grant on an area reads that area and its sub-areas; a device shared with the
 * user (a device grant) reads that device. Anything outside the user's tenant is "not found",
 * never "forbidden", so its existence is not revealed.
 */
public final class Authoriser {
  private final Supplier<Directory> directory;

  public Authoriser(Supplier<Directory> directory) {
    this.directory = directory;
  }

  /** The connect check for {@code project-id}: any grant inside the project counts, a shared device of it too. */
  public void checkProjectVisible(Principal user, String projectId) {
    Directory dir = directory.get();
    Project project = project(dir, user, projectId);
    if (!isVisible(dir, user, project.id())) {
      throw forbidden("project " + projectId);
    }
  }

  /** Whether the user has any grant inside the project: itself, an area of it, or a device of it. */
  static boolean isVisible(Directory dir, Principal user, String projectId) {
    if (user.admin()) {
      return true;
    }
    for (Grant grant : dir.grants(user.tenantCode(), user.userId())) {
      if (grant.projectId().equals(projectId)) {
        return true;
      }
    }
    for (DeviceGrant share : dir.sharedWith(user.tenantCode(), user.userId())) {
      Device device = dir.device(share.productId(), share.deviceName()).orElse(null);
      if (device != null && device.projectId().equals(projectId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks that {@code target} exists in the user's tenant (100009) and is readable (100012). The
   * devices shared with a user are always the user's to watch, however few.
   */
  public void checkReadable(Principal user, Target target) {
    Directory dir = directory.get();
    switch (target.kind()) {
      case SHARES -> {
        // nothing to check: the share subscription follows what is shared, from none on
      }
      case SHARED_DEVICE ->
          throw new IllegalArgumentException("a shared device's key is not subscribed to");
      case PROPERTY, DEVICE -> {
        Device device =
            dir.device(target.productID(), target.deviceName())
                .filter(d -> d.tenantCode().equals(user.tenantCode()))
                .orElseThrow(
                    () -> notFound("device " + target.productID() + "/" + target.deviceName()));
        if (!canRead(dir, user, device)) {
          throw forbidden("device " + target.productID() + "/" + target.deviceName());
        }
      }
      case PROJECT -> {
        Project project = project(dir, user, target.projectID());
        if (!canRead(dir, user, project.id(), List.of())) {
          throw forbidden("project " + target.projectID());
        }
      }
      case AREA -> {
        Project project = project(dir, user, target.projectID());
        Area area =
            dir.area(target.areaID())
                .filter(a -> a.projectId().equals(project.id()))
                .orElseThrow(
                    () -> notFound("area " + target.areaID() + " in project " + project.id()));
        if (!canRead(dir, user, project.id(), dir.areaPath(area.id()))) {
          throw forbidden("area " + target.areaID());
        }
      }
    }
  }

  /** Whether the user may still hold a subscription to {@code target} (for re-checks). */
  public boolean isReadable(Principal user, Target target) {
    try {
      checkReadable(user, target);
      return true;
    } catch (ThingPushException e) {
      return false;
    }
  }

  /** The read rule of one device: its project or area is readable, or the device is shared with the user. */
  static boolean canRead(Directory dir, Principal user, Device device) {
    return canRead(dir, user, device.projectId(), dir.areaPath(device.areaId()))
        || dir.isShared(user.tenantCode(), user.userId(), device.productId(), device.deviceName());
  }

  /** The read rule of a place: admin, a grant on the project, or a grant on an area of {@code areaPath}. */
  static boolean canRead(Directory dir, Principal user, String projectId, List<String> areaPath) {
    if (user.admin()) {
      return true;
    }
    for (Grant grant : dir.grants(user.tenantCode(), user.userId())) {
      if (grant.projectId().equals(projectId)
          && (grant.areaId() == null || areaPath.contains(grant.areaId()))) {
        return true;
      }
    }
    return false;
  }

  private static Project project(Directory dir, Principal user, String projectId) {
    return dir.project(projectId)
        .filter(p -> p.tenantCode().equals(user.tenantCode()))
        .orElseThrow(() -> notFound("project " + projectId));
  }

  private static ThingPushException notFound(String what) {
    return new ThingPushException(ErrorCode.NOT_FOUND, what + " not found");
  }

  private static ThingPushException forbidden(String what) {
    return new ThingPushException(ErrorCode.FORBIDDEN, what + " not readable");
  }
}
