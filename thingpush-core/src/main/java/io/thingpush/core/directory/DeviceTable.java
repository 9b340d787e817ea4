package io.thingpush.core.directory;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Every device of the registry, immutable and compact (a registry may hold millions): per
 * product an open-addressed array looked up by device name (one probe sequence, no entry
 * objects), and per project a plain array for snapshots. {@link #with} and {@link #without}
 * return a new table that shares everything but the arrays of the one product and the
 * project(s) concerned, so a single device change costs the size of those, not of the registry.
 */
public final class DeviceTable {
  private static final DeviceTable EMPTY = new DeviceTable(Map.of(), Map.of(), 0);
  private static final Device[] NONE = new Device[0];

  private final Map<String, Device[]> byProduct; // productId -> slots by device name
  private final Map<String, Device[]> byProject; // projectId -> devices, no order promised
  private final int size;

  private DeviceTable(Map<String, Device[]> byProduct, Map<String, Device[]> byProject, int size) {
    this.byProduct = byProduct;
    this.byProject = byProject;
    this.size = size;
  }

  public static DeviceTable empty() {
    return EMPTY;
  }

  /** @throws IllegalArgumentException when two devices share product and name */
  public static DeviceTable of(Collection<Device> devices) {
    Map<String, List<Device>> products = new HashMap<>();
    Map<String, List<Device>> projects = new HashMap<>();
    for (Device d : devices) {
      products.computeIfAbsent(d.productId(), k -> new ArrayList<>()).add(d);
      projects.computeIfAbsent(d.projectId(), k -> new ArrayList<>()).add(d);
    }
    Map<String, Device[]> byProduct = new HashMap<>(capacityFor(products.size()));
    products.forEach((product, list) -> byProduct.put(product, slots(list)));
    Map<String, Device[]> byProject = new HashMap<>(capacityFor(projects.size()));
    projects.forEach((project, list) -> byProject.put(project, list.toArray(NONE)));
    return new DeviceTable(byProduct, byProject, devices.size());
  }

  /** The device, or null. */
  public Device get(String productId, String deviceName) {
    Device[] slots = byProduct.get(productId);
    if (slots == null) {
      return null;
    }
    int mask = slots.length - 1;
    for (int i = index(deviceName, mask); ; i = (i + 1) & mask) {
      Device d = slots[i];
      if (d == null || d.deviceName().equals(deviceName)) {
        return d;
      }
    }
  }

  /** The devices of one project (empty if none), in no particular order. */
  public List<Device> ofProject(String projectId) {
    Device[] devices = byProject.get(projectId);
    return devices == null ? List.of() : Collections.unmodifiableList(Arrays.asList(devices));
  }

  public int size() {
    return size;
  }

  /** Every device, product by product. */
  public Collection<Device> all() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<Device> iterator() {
        return new AllDevices(byProduct.values().iterator());
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** This table with {@code device} added, or replacing the device of the same product and name. */
  public DeviceTable with(Device device) {
    Device old = get(device.productId(), device.deviceName());
    Map<String, Device[]> products = new HashMap<>(byProduct);
    List<Device> ofProduct = devicesOf(byProduct.get(device.productId()), old);
    ofProduct.add(device);
    products.put(device.productId(), slots(ofProduct));
    Map<String, Device[]> projects = new HashMap<>(byProject);
    if (old != null) {
      removeFromProject(projects, old);
    }
    Device[] inProject = projects.getOrDefault(device.projectId(), NONE);
    Device[] grown = Arrays.copyOf(inProject, inProject.length + 1);
    grown[inProject.length] = device;
    projects.put(device.projectId(), grown);
    return new DeviceTable(products, projects, old == null ? size + 1 : size);
  }

  /** This table without the device (the same table when there is none). */
  public DeviceTable without(String productId, String deviceName) {
    Device old = get(productId, deviceName);
    if (old == null) {
      return this;
    }
    Map<String, Device[]> products = new HashMap<>(byProduct);
    List<Device> rest = devicesOf(byProduct.get(productId), old);
    if (rest.isEmpty()) {
      products.remove(productId);
    } else {
      products.put(productId, slots(rest));
    }
    Map<String, Device[]> projects = new HashMap<>(byProject);
    removeFromProject(projects, old);
    return new DeviceTable(products, projects, size - 1);
  }

  private static void removeFromProject(Map<String, Device[]> projects, Device device) {
    Device[] devices = projects.get(device.projectId());
    Device[] rest = new Device[devices.length - 1];
    int n = 0;
    for (Device d : devices) {
      if (d != device) {
        rest[n++] = d;
      }
    }
    if (rest.length == 0) {
      projects.remove(device.projectId());
    } else {
      projects.put(device.projectId(), rest);
    }
  }

  /** The devices in {@code slots} except {@code except}. */
  private static List<Device> devicesOf(Device[] slots, Device except) {
    List<Device> list = new ArrayList<>(slots == null ? 1 : slots.length);
    if (slots != null) {
      for (Device d : slots) {
        if (d != null && d != except) {
          list.add(d);
        }
      }
    }
    return list;
  }

  /** An open-addressed table of {@code devices} by name, at most half full. */
  private static Device[] slots(List<Device> devices) {
    int capacity = Integer.highestOneBit(Math.max(2, devices.size() * 2 - 1)) << 1;
    Device[] slots = new Device[capacity];
    int mask = capacity - 1;
    for (Device d : devices) {
      int i = index(d.deviceName(), mask);
      while (slots[i] != null) {
        if (slots[i].deviceName().equals(d.deviceName())) {
          throw new IllegalArgumentException(
              "duplicate device " + d.productId() + "/" + d.deviceName());
        }
        i = (i + 1) & mask;
      }
      slots[i] = d;
    }
    return slots;
  }

  private static int index(String name, int mask) {
    int h = name.hashCode();
    return (h ^ (h >>> 16)) & mask;
  }

  private static int capacityFor(int entries) {
    return (int) (entries / 0.75f) + 1;
  }

  /** Walks the slots of every product, skipping the empty ones. */
  private static final class AllDevices implements Iterator<Device> {
    private final Iterator<Device[]> products;
    private Device[] slots = NONE;
    private int next;

    AllDevices(Iterator<Device[]> products) {
      this.products = products;
      advance();
    }

    @Override
    public boolean hasNext() {
      return next < slots.length;
    }

    @Override
    public Device next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Device d = slots[next++];
      advance();
      return d;
    }

    private void advance() {
      while (true) {
        while (next < slots.length && slots[next] == null) {
          next++;
        }
        if (next < slots.length || !products.hasNext()) {
          return;
        }
        slots = products.next();
        next = 0;
      }
    }
  }
}
