import * as _sinclair_typebox from '@sinclair/typebox';
import { Static, TSchema } from '@sinclair/typebox';
declare const NODE_STATES: readonly ["new", "inventoried", "ready-for-bmc", "bmc-configured", "installing", "deployed", "maintenance", "failed", "decommissioned"];
declare const NodeStateSchema: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
type NodeState = (typeof NODE_STATES)[number];
declare const BOOT_TARGETS: readonly ["live", "install", "local"];
declare const BootTargetSchema: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
type BootTarget = (typeof BOOT_TARGETS)[number];
declare const ROLES: readonly ["admin", "operator", "viewer", "node"];
declare const RoleSchema: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"admin" | "operator" | "viewer" | "node">[]>;
type Role = (typeof ROLES)[number];
declare const NameSchema: _sinclair_typebox.TString;
declare const NodeIdSchema: _sinclair_typebox.TString;
declare const MacSchema: _sinclair_typebox.TString;
declare const UuidSchema: _sinclair_typebox.TString;
declare const HostnameSchema: _sinclair_typebox.TString;
declare const FqdnSchema: _sinclair_typebox.TString;
declare const TextSchema: (maxLength?: number) => _sinclair_typebox.TString;
declare const DateTimeSchema: _sinclair_typebox.TString;
declare const IpSchema: _sinclair_typebox.TString;
declare const ByIdPathSchema: _sinclair_typebox.TString;
declare const LocationSchema: _sinclair_typebox.TObject<{
    site: _sinclair_typebox.TString;
    room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    rack: _sinclair_typebox.TString;
    unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
type Location = Static<typeof LocationSchema>;
declare const SystemDiskHintSchema: _sinclair_typebox.TObject<{
    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
type SystemDiskHint = Static<typeof SystemDiskHintSchema>;
declare const BmcSchema: _sinclair_typebox.TObject<{
    address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    user: _sinclair_typebox.TString;
    passwordSet: _sinclair_typebox.TBoolean;
}>;
type Bmc = Static<typeof BmcSchema>;
declare const ADDRESS_PURPOSES: readonly ["bmc", "primary"];
declare const AddressAssignmentSchema: _sinclair_typebox.TObject<{
    purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
    address: _sinclair_typebox.TString;
    prefixLength: _sinclair_typebox.TInteger;
    gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    pool: _sinclair_typebox.TString;
}>;
type AddressAssignment = Static<typeof AddressAssignmentSchema>;
declare const InventoryCpuSchema: _sinclair_typebox.TObject<{
    socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    model: _sinclair_typebox.TString;
    cores: _sinclair_typebox.TInteger;
    threads: _sinclair_typebox.TInteger;
    mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
}>;
declare const InventoryDimmSchema: _sinclair_typebox.TObject<{
    slot: _sinclair_typebox.TString;
    sizeBytes: _sinclair_typebox.TInteger;
    type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
declare const InventoryMemorySchema: _sinclair_typebox.TObject<{
    totalBytes: _sinclair_typebox.TInteger;
    dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        slot: _sinclair_typebox.TString;
        sizeBytes: _sinclair_typebox.TInteger;
        type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>>>;
}>;
declare const InventoryDiskSchema: _sinclair_typebox.TObject<{
    name: _sinclair_typebox.TString;
    sizeBytes: _sinclair_typebox.TInteger;
    model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    rotational: _sinclair_typebox.TBoolean;
    byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
}>;
type InventoryDisk = Static<typeof InventoryDiskSchema>;
declare const LldpNeighbourSchema: _sinclair_typebox.TObject<{
    switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    port: _sinclair_typebox.TString;
    portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
declare const InventoryNicSchema: _sinclair_typebox.TObject<{
    name: _sinclair_typebox.TString;
    mac: _sinclair_typebox.TString;
    speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
        switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        port: _sinclair_typebox.TString;
        portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>>;
}>;
type InventoryNic = Static<typeof InventoryNicSchema>;
declare const InventoryBoardSchema: _sinclair_typebox.TObject<{
    manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
declare const InventoryBiosSchema: _sinclair_typebox.TObject<{
    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
declare const InventoryBmcSchema: _sinclair_typebox.TObject<{
    address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
declare const InventorySchema: _sinclair_typebox.TObject<{
    systemUuid: _sinclair_typebox.TString;
    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    cpus: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        model: _sinclair_typebox.TString;
        cores: _sinclair_typebox.TInteger;
        threads: _sinclair_typebox.TInteger;
        mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
    }>>;
    memory: _sinclair_typebox.TObject<{
        totalBytes: _sinclair_typebox.TInteger;
        dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            slot: _sinclair_typebox.TString;
            sizeBytes: _sinclair_typebox.TInteger;
            type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>>>;
    }>;
    disks: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        name: _sinclair_typebox.TString;
        sizeBytes: _sinclair_typebox.TInteger;
        model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        rotational: _sinclair_typebox.TBoolean;
        byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
        byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
    }>>;
    nics: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        name: _sinclair_typebox.TString;
        mac: _sinclair_typebox.TString;
        speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
            switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            port: _sinclair_typebox.TString;
            portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>>;
    }>>;
    board: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
        manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    }>>;
    bios: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
        vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    }>>;
    bmc: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
        address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    }>>;
    notes: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
}>;
type Inventory = Static<typeof InventorySchema>;
declare const NodeSchema: _sinclair_typebox.TObject<{
    id: _sinclair_typebox.TString;
    systemUuid: _sinclair_typebox.TString;
    serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
    location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        site: _sinclair_typebox.TString;
        room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        rack: _sinclair_typebox.TString;
        unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>, _sinclair_typebox.TNull]>;
    systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>, _sinclair_typebox.TNull]>;
    bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        user: _sinclair_typebox.TString;
        passwordSet: _sinclair_typebox.TBoolean;
    }>, _sinclair_typebox.TNull]>;
    addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
        address: _sinclair_typebox.TString;
        prefixLength: _sinclair_typebox.TInteger;
        gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        pool: _sinclair_typebox.TString;
    }>>;
    state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
    stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    stateSince: _sinclair_typebox.TString;
    bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
    createdAt: _sinclair_typebox.TString;
    updatedAt: _sinclair_typebox.TString;
    version: _sinclair_typebox.TInteger;
}>;
type Node = Static<typeof NodeSchema>;
declare const NodeDetailSchema: _sinclair_typebox.TObject<{
    inventory: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        systemUuid: _sinclair_typebox.TString;
        serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        cpus: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            model: _sinclair_typebox.TString;
            cores: _sinclair_typebox.TInteger;
            threads: _sinclair_typebox.TInteger;
            mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
        }>>;
        memory: _sinclair_typebox.TObject<{
            totalBytes: _sinclair_typebox.TInteger;
            dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                slot: _sinclair_typebox.TString;
                sizeBytes: _sinclair_typebox.TInteger;
                type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>>>;
        }>;
        disks: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            name: _sinclair_typebox.TString;
            sizeBytes: _sinclair_typebox.TInteger;
            model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            rotational: _sinclair_typebox.TBoolean;
            byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
        }>>;
        nics: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            name: _sinclair_typebox.TString;
            mac: _sinclair_typebox.TString;
            speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                port: _sinclair_typebox.TString;
                portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>>;
        }>>;
        board: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
            manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>>;
        bios: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
            vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>>;
        bmc: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
            address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>>;
        notes: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
    }>, _sinclair_typebox.TNull]>;
    inventoriedAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    id: _sinclair_typebox.TString;
    systemUuid: _sinclair_typebox.TString;
    serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
    location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        site: _sinclair_typebox.TString;
        room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        rack: _sinclair_typebox.TString;
        unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>, _sinclair_typebox.TNull]>;
    systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>, _sinclair_typebox.TNull]>;
    bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        user: _sinclair_typebox.TString;
        passwordSet: _sinclair_typebox.TBoolean;
    }>, _sinclair_typebox.TNull]>;
    addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
        address: _sinclair_typebox.TString;
        prefixLength: _sinclair_typebox.TInteger;
        gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        pool: _sinclair_typebox.TString;
    }>>;
    state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
    stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    stateSince: _sinclair_typebox.TString;
    bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
    createdAt: _sinclair_typebox.TString;
    updatedAt: _sinclair_typebox.TString;
    version: _sinclair_typebox.TInteger;
}>;
type NodeDetail = Static<typeof NodeDetailSchema>;
declare const NodeUpdateSchema: _sinclair_typebox.TObject<{
    hostname: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
    fqdn: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
    cluster: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
    roles: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
    groups: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
    tags: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
    asn: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>>;
    location: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        site: _sinclair_typebox.TString;
        room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        rack: _sinclair_typebox.TString;
        unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>, _sinclair_typebox.TNull]>>;
    systemDisk: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>, _sinclair_typebox.TNull]>>;
    reason: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
type NodeUpdate = Static<typeof NodeUpdateSchema>;
declare const TransitionRequestSchema: _sinclair_typebox.TObject<{
    to: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
    reason: _sinclair_typebox.TString;
}>;
type TransitionRequest = Static<typeof TransitionRequestSchema>;
declare const IdentityResetRequestSchema: _sinclair_typebox.TObject<{
    reason: _sinclair_typebox.TString;
}>;
type IdentityResetRequest = Static<typeof IdentityResetRequestSchema>;
declare const BmcCredentialsSchema: _sinclair_typebox.TObject<{
    nodeId: _sinclair_typebox.TString;
    address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    user: _sinclair_typebox.TString;
    password: _sinclair_typebox.TString;
}>;
type BmcCredentials = Static<typeof BmcCredentialsSchema>;
declare const NodeListQuerySchema: _sinclair_typebox.TObject<{
    state: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>>;
    site: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    rack: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    group: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    role: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    tag: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    cluster: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    q: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
type NodeListQuery = Static<typeof NodeListQuerySchema>;
declare const PageSchema: <T extends TSchema>(item: T) => _sinclair_typebox.TObject<{
    items: _sinclair_typebox.TArray<T>;
    nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
}>;
interface Page<T> {
    items: T[];
    nextCursor: string | null;
}
declare const PageQuerySchema: _sinclair_typebox.TObject<{
    cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
type PageQuery = Static<typeof PageQuerySchema>;
declare const NodePageSchema: _sinclair_typebox.TObject<{
    items: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        id: _sinclair_typebox.TString;
        systemUuid: _sinclair_typebox.TString;
        serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
        hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
        groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
        tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
        asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
        location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
            site: _sinclair_typebox.TString;
            room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            rack: _sinclair_typebox.TString;
            unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>, _sinclair_typebox.TNull]>;
        systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
            serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>, _sinclair_typebox.TNull]>;
        bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
            address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            user: _sinclair_typebox.TString;
            passwordSet: _sinclair_typebox.TBoolean;
        }>, _sinclair_typebox.TNull]>;
        addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
            address: _sinclair_typebox.TString;
            prefixLength: _sinclair_typebox.TInteger;
            gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TString;
        }>>;
        state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
        stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        stateSince: _sinclair_typebox.TString;
        bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
        createdAt: _sinclair_typebox.TString;
        updatedAt: _sinclair_typebox.TString;
        version: _sinclair_typebox.TInteger;
    }>>;
    nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
}>;
declare const ActorSchema: _sinclair_typebox.TObject<{
    kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"user">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">, _sinclair_typebox.TLiteral<"system">]>;
    name: _sinclair_typebox.TString;
}>;
type Actor = Static<typeof ActorSchema>;
declare const HistoryEntrySchema: _sinclair_typebox.TObject<{
    seq: _sinclair_typebox.TInteger;
    nodeId: _sinclair_typebox.TString;
    at: _sinclair_typebox.TString;
    actor: _sinclair_typebox.TObject<{
        kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"user">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">, _sinclair_typebox.TLiteral<"system">]>;
        name: _sinclair_typebox.TString;
    }>;
    action: _sinclair_typebox.TString;
    reason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    before: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
    after: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
}>;
type HistoryEntry = Static<typeof HistoryEntrySchema>;
declare const HistoryPageSchema: _sinclair_typebox.TObject<{
    items: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        seq: _sinclair_typebox.TInteger;
        nodeId: _sinclair_typebox.TString;
        at: _sinclair_typebox.TString;
        actor: _sinclair_typebox.TObject<{
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"user">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">, _sinclair_typebox.TLiteral<"system">]>;
            name: _sinclair_typebox.TString;
        }>;
        action: _sinclair_typebox.TString;
        reason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        before: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
        after: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
    }>>;
    nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
}>;
declare const HistoryQuerySchema: _sinclair_typebox.TObject<{
    nodeId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
type HistoryQuery = Static<typeof HistoryQuerySchema>;
declare const InventoryResponseSchema: _sinclair_typebox.TObject<{
    nodeId: _sinclair_typebox.TString;
    created: _sinclair_typebox.TBoolean;
    state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
    token: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
}>;
type InventoryResponse = Static<typeof InventoryResponseSchema>;
declare const BmcConfigSchema: _sinclair_typebox.TObject<{
    address: _sinclair_typebox.TString;
    prefixLength: _sinclair_typebox.TInteger;
    gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    user: _sinclair_typebox.TString;
    password: _sinclair_typebox.TString;
    channel: _sinclair_typebox.TInteger;
    userId: _sinclair_typebox.TInteger;
}>;
type BmcConfig = Static<typeof BmcConfigSchema>;
declare const NodeConfigSchema: _sinclair_typebox.TObject<{
    nodeId: _sinclair_typebox.TString;
    state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
    bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
    hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    }>, _sinclair_typebox.TNull]>;
    addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
        purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
        address: _sinclair_typebox.TString;
        prefixLength: _sinclair_typebox.TInteger;
        gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        pool: _sinclair_typebox.TString;
    }>>;
    bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        address: _sinclair_typebox.TString;
        prefixLength: _sinclair_typebox.TInteger;
        gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        user: _sinclair_typebox.TString;
        password: _sinclair_typebox.TString;
        channel: _sinclair_typebox.TInteger;
        userId: _sinclair_typebox.TInteger;
    }>, _sinclair_typebox.TNull]>;
    pollAfterSeconds: _sinclair_typebox.TInteger;
}>;
type NodeConfig = Static<typeof NodeConfigSchema>;
declare const NODE_EVENT_TYPES: readonly ["bmc-configured", "install-started", "install-finished", "failed"];
type NodeEventType = (typeof NODE_EVENT_TYPES)[number];
declare const NodeEventSchema: _sinclair_typebox.TObject<{
    type: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc-configured" | "failed" | "install-started" | "install-finished">[]>;
    reason: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
type NodeEvent = Static<typeof NodeEventSchema>;
declare const NodeEventResponseSchema: _sinclair_typebox.TObject<{
    nodeId: _sinclair_typebox.TString;
    state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
    bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
}>;
type NodeEventResponse = Static<typeof NodeEventResponseSchema>;
declare const BootTargetResponseSchema: _sinclair_typebox.TObject<{
    mac: _sinclair_typebox.TString;
    nodeId: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    state: _sinclair_typebox.TUnion<[_sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>, _sinclair_typebox.TNull]>;
    bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
    hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
}>;
type BootTargetResponse = Static<typeof BootTargetResponseSchema>;
declare const AnsibleGroupSchema: _sinclair_typebox.TObject<{
    hosts: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    children: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
    vars: _sinclair_typebox.TOptional<_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>>;
}>;
type AnsibleGroup = Static<typeof AnsibleGroupSchema>;
declare const AnsibleInventorySchema: _sinclair_typebox.TObject<{
    _meta: _sinclair_typebox.TObject<{
        hostvars: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>>;
    }>;
    all: _sinclair_typebox.TObject<{
        hosts: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
        children: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
        vars: _sinclair_typebox.TOptional<_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>>;
    }>;
}>;
type AnsibleInventory = {
    _meta: {
        hostvars: Record<string, Record<string, unknown>>;
    };
    all: AnsibleGroup;
} & {
    [group: string]: AnsibleGroup | {
        hostvars: Record<string, Record<string, unknown>>;
    };
};
declare const AnsibleExportQuerySchema: _sinclair_typebox.TObject<{
    state: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>>;
    includeDecommissioned: _sinclair_typebox.TOptional<_sinclair_typebox.TBoolean>;
}>;
type AnsibleExportQuery = Static<typeof AnsibleExportQuerySchema>;
declare const ErrorBodySchema: _sinclair_typebox.TObject<{
    code: _sinclair_typebox.TString;
    message: _sinclair_typebox.TString;
    details: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
}>;
type ErrorBody = Static<typeof ErrorBodySchema>;
declare const PrincipalSchema: _sinclair_typebox.TObject<{
    name: _sinclair_typebox.TString;
    role: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"admin" | "operator" | "viewer" | "node">[]>;
    source: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"local">, _sinclair_typebox.TLiteral<"ldap">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">]>;
    nodeId: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
}>;
type Principal = Static<typeof PrincipalSchema>;
declare const UsernameSchema: _sinclair_typebox.TString;
declare const LoginRequestSchema: _sinclair_typebox.TObject<{
    username: _sinclair_typebox.TString;
    password: _sinclair_typebox.TString;
}>;
type LoginRequest = Static<typeof LoginRequestSchema>;
declare const TokenInfoSchema: _sinclair_typebox.TObject<{
    id: _sinclair_typebox.TString;
    name: _sinclair_typebox.TString;
    role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
    createdBy: _sinclair_typebox.TString;
    createdAt: _sinclair_typebox.TString;
    expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
}>;
type TokenInfo = Static<typeof TokenInfoSchema>;
declare const IssuedTokenSchema: _sinclair_typebox.TObject<{
    token: _sinclair_typebox.TString;
    info: _sinclair_typebox.TObject<{
        id: _sinclair_typebox.TString;
        name: _sinclair_typebox.TString;
        role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
        createdBy: _sinclair_typebox.TString;
        createdAt: _sinclair_typebox.TString;
        expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    }>;
}>;
type IssuedToken = Static<typeof IssuedTokenSchema>;
declare const LoginResponseSchema: _sinclair_typebox.TObject<{
    token: _sinclair_typebox.TString;
    expiresAt: _sinclair_typebox.TString;
    principal: _sinclair_typebox.TObject<{
        name: _sinclair_typebox.TString;
        role: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"admin" | "operator" | "viewer" | "node">[]>;
        source: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"local">, _sinclair_typebox.TLiteral<"ldap">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">]>;
        nodeId: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    }>;
}>;
type LoginResponse = Static<typeof LoginResponseSchema>;
declare const CreateTokenRequestSchema: _sinclair_typebox.TObject<{
    name: _sinclair_typebox.TString;
    role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
    expiresInSeconds: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
type CreateTokenRequest = Static<typeof CreateTokenRequestSchema>;
declare const UserSchema: _sinclair_typebox.TObject<{
    username: _sinclair_typebox.TString;
    role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
    createdAt: _sinclair_typebox.TString;
}>;
type User = Static<typeof UserSchema>;
declare const CreateUserRequestSchema: _sinclair_typebox.TObject<{
    username: _sinclair_typebox.TString;
    password: _sinclair_typebox.TString;
    role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
}>;
type CreateUserRequest = Static<typeof CreateUserRequestSchema>;
declare const NodeIdParamsSchema: _sinclair_typebox.TObject<{
    nodeId: _sinclair_typebox.TString;
}>;
declare const MacParamsSchema: _sinclair_typebox.TObject<{
    mac: _sinclair_typebox.TString;
}>;
declare const UsernameParamsSchema: _sinclair_typebox.TObject<{
    username: _sinclair_typebox.TString;
}>;
declare const TokenIdParamsSchema: _sinclair_typebox.TObject<{
    tokenId: _sinclair_typebox.TString;
}>;
declare const EmptySchema: _sinclair_typebox.TObject<{}>;
declare const MACHINEDB_ERROR_STATUS: {
    readonly VALIDATION_FAILED: 400;
    readonly UNAUTHENTICATED: 401;
    readonly FORBIDDEN: 403;
    readonly NOT_FOUND: 404;
    readonly NODE_NOT_FOUND: 404;
    readonly METHOD_NOT_ALLOWED: 405;
    readonly ILLEGAL_TRANSITION: 409;
    readonly NODE_NOT_READY: 409;
    readonly NODE_IDENTITY_CLAIMED: 409;
    readonly CONFLICT: 409;
    readonly PRECONDITION_FAILED: 412;
    readonly BODY_TOO_LARGE: 413;
    readonly UNSUPPORTED_MEDIA_TYPE: 415;
    readonly PRECONDITION_REQUIRED: 428;
    readonly TOO_MANY_REQUESTS: 429;
    readonly ADDRESS_ALLOCATION_FAILED: 503;
    readonly DATABASE_UNAVAILABLE: 503;
    readonly INTERNAL: 500;
};
type MachineDbErrorCode = keyof typeof MACHINEDB_ERROR_STATUS;
type OperationAuth = 'public' | 'authenticated' | 'viewer' | 'operator' | 'admin' | 'node' | 'enroll';
type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface OperationSpec {
    id: string;
    method: HttpMethod;
    path: string;
    summary: string;
    auth: OperationAuth;
    idempotent: boolean;
    status: 200 | 201;
    params?: TSchema;
    query?: TSchema;
    body?: TSchema;
    response: TSchema;
    ifMatch?: 'required' | 'optional';
}
declare const operations: {
    readonly getOpenApi: {
        readonly id: "getOpenApi";
        readonly method: "GET";
        readonly path: "/openapi.json";
        readonly summary: "The OpenAPI 3.1 document of this API, built from the operations table";
        readonly auth: "public";
        readonly idempotent: true;
        readonly status: 200;
        readonly response: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
    };
    readonly login: {
        readonly id: "login";
        readonly method: "POST";
        readonly path: "/api/v1/auth/login";
        readonly summary: "Exchange a local or LDAP username and password for a session token";
        readonly auth: "public";
        readonly idempotent: false;
        readonly status: 200;
        readonly body: _sinclair_typebox.TObject<{
            username: _sinclair_typebox.TString;
            password: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            token: _sinclair_typebox.TString;
            expiresAt: _sinclair_typebox.TString;
            principal: _sinclair_typebox.TObject<{
                name: _sinclair_typebox.TString;
                role: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"admin" | "operator" | "viewer" | "node">[]>;
                source: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"local">, _sinclair_typebox.TLiteral<"ldap">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">]>;
                nodeId: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            }>;
        }>;
    };
    readonly whoami: {
        readonly id: "whoami";
        readonly method: "GET";
        readonly path: "/api/v1/auth/whoami";
        readonly summary: "Who the credential belongs to and its role";
        readonly auth: "authenticated";
        readonly idempotent: true;
        readonly status: 200;
        readonly response: _sinclair_typebox.TObject<{
            name: _sinclair_typebox.TString;
            role: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"admin" | "operator" | "viewer" | "node">[]>;
            source: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"local">, _sinclair_typebox.TLiteral<"ldap">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">]>;
            nodeId: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly listUsers: {
        readonly id: "listUsers";
        readonly method: "GET";
        readonly path: "/api/v1/users";
        readonly summary: "Local users";
        readonly auth: "admin";
        readonly idempotent: true;
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            items: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                username: _sinclair_typebox.TString;
                role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
                createdAt: _sinclair_typebox.TString;
            }>>;
            nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly createUser: {
        readonly id: "createUser";
        readonly method: "POST";
        readonly path: "/api/v1/users";
        readonly summary: "Create a local user (409 when the name exists)";
        readonly auth: "admin";
        readonly idempotent: false;
        readonly status: 201;
        readonly body: _sinclair_typebox.TObject<{
            username: _sinclair_typebox.TString;
            password: _sinclair_typebox.TString;
            role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            username: _sinclair_typebox.TString;
            role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
            createdAt: _sinclair_typebox.TString;
        }>;
    };
    readonly deleteUser: {
        readonly id: "deleteUser";
        readonly method: "DELETE";
        readonly path: "/api/v1/users/:username";
        readonly summary: "Delete a local user and its sessions";
        readonly auth: "admin";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            username: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            deleted: _sinclair_typebox.TBoolean;
        }>;
    };
    readonly listTokens: {
        readonly id: "listTokens";
        readonly method: "GET";
        readonly path: "/api/v1/tokens";
        readonly summary: "API tokens (never their secrets)";
        readonly auth: "admin";
        readonly idempotent: true;
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            items: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                id: _sinclair_typebox.TString;
                name: _sinclair_typebox.TString;
                role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
                createdBy: _sinclair_typebox.TString;
                createdAt: _sinclair_typebox.TString;
                expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            }>>;
            nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly createToken: {
        readonly id: "createToken";
        readonly method: "POST";
        readonly path: "/api/v1/tokens";
        readonly summary: "Issue an API token for scripts; the secret is in this response only";
        readonly auth: "admin";
        readonly idempotent: false;
        readonly status: 201;
        readonly body: _sinclair_typebox.TObject<{
            name: _sinclair_typebox.TString;
            role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
            expiresInSeconds: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            token: _sinclair_typebox.TString;
            info: _sinclair_typebox.TObject<{
                id: _sinclair_typebox.TString;
                name: _sinclair_typebox.TString;
                role: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"admin">, _sinclair_typebox.TLiteral<"operator">, _sinclair_typebox.TLiteral<"viewer">]>;
                createdBy: _sinclair_typebox.TString;
                createdAt: _sinclair_typebox.TString;
                expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            }>;
        }>;
    };
    readonly revokeToken: {
        readonly id: "revokeToken";
        readonly method: "DELETE";
        readonly path: "/api/v1/tokens/:tokenId";
        readonly summary: "Revoke an API token";
        readonly auth: "admin";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            tokenId: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            deleted: _sinclair_typebox.TBoolean;
        }>;
    };
    readonly listNodes: {
        readonly id: "listNodes";
        readonly method: "GET";
        readonly path: "/api/v1/nodes";
        readonly summary: "Nodes matching the filters, ordered by id, one page at a time";
        readonly auth: "viewer";
        readonly idempotent: true;
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            state: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>>;
            site: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            rack: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            group: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            role: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            tag: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            cluster: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            q: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            items: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                id: _sinclair_typebox.TString;
                systemUuid: _sinclair_typebox.TString;
                serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
                location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                    site: _sinclair_typebox.TString;
                    room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    rack: _sinclair_typebox.TString;
                    unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                }>, _sinclair_typebox.TNull]>;
                systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                }>, _sinclair_typebox.TNull]>;
                bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                    address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                    user: _sinclair_typebox.TString;
                    passwordSet: _sinclair_typebox.TBoolean;
                }>, _sinclair_typebox.TNull]>;
                addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
                    address: _sinclair_typebox.TString;
                    prefixLength: _sinclair_typebox.TInteger;
                    gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                    pool: _sinclair_typebox.TString;
                }>>;
                state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
                stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                stateSince: _sinclair_typebox.TString;
                bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
                createdAt: _sinclair_typebox.TString;
                updatedAt: _sinclair_typebox.TString;
                version: _sinclair_typebox.TInteger;
            }>>;
            nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly getNode: {
        readonly id: "getNode";
        readonly method: "GET";
        readonly path: "/api/v1/nodes/:nodeId";
        readonly summary: "One node with its inventory; the ETag header carries its version";
        readonly auth: "viewer";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            inventory: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                systemUuid: _sinclair_typebox.TString;
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                cpus: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    model: _sinclair_typebox.TString;
                    cores: _sinclair_typebox.TInteger;
                    threads: _sinclair_typebox.TInteger;
                    mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
                }>>;
                memory: _sinclair_typebox.TObject<{
                    totalBytes: _sinclair_typebox.TInteger;
                    dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                        slot: _sinclair_typebox.TString;
                        sizeBytes: _sinclair_typebox.TInteger;
                        type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>>;
                }>;
                disks: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    sizeBytes: _sinclair_typebox.TInteger;
                    model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    rotational: _sinclair_typebox.TBoolean;
                    byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                    byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
                }>>;
                nics: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    mac: _sinclair_typebox.TString;
                    speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                        switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        port: _sinclair_typebox.TString;
                        portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>;
                }>>;
                board: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bios: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bmc: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                notes: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            }>, _sinclair_typebox.TNull]>;
            inventoriedAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            id: _sinclair_typebox.TString;
            systemUuid: _sinclair_typebox.TString;
            serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                site: _sinclair_typebox.TString;
                room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                rack: _sinclair_typebox.TString;
                unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                user: _sinclair_typebox.TString;
                passwordSet: _sinclair_typebox.TBoolean;
            }>, _sinclair_typebox.TNull]>;
            addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
                address: _sinclair_typebox.TString;
                prefixLength: _sinclair_typebox.TInteger;
                gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                pool: _sinclair_typebox.TString;
            }>>;
            state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            stateSince: _sinclair_typebox.TString;
            bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
            createdAt: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            version: _sinclair_typebox.TInteger;
        }>;
    };
    readonly updateNode: {
        readonly id: "updateNode";
        readonly method: "PATCH";
        readonly path: "/api/v1/nodes/:nodeId";
        readonly summary: "Set location, system disk, hostname, groups, roles, tags; an inventoried node with location and disk becomes ready-for-bmc";
        readonly auth: "operator";
        readonly idempotent: false;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly body: _sinclair_typebox.TObject<{
            hostname: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
            fqdn: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
            cluster: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
            roles: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            groups: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            tags: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            asn: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>>;
            location: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                site: _sinclair_typebox.TString;
                room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                rack: _sinclair_typebox.TString;
                unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>>;
            systemDisk: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>>;
            reason: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            inventory: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                systemUuid: _sinclair_typebox.TString;
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                cpus: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    model: _sinclair_typebox.TString;
                    cores: _sinclair_typebox.TInteger;
                    threads: _sinclair_typebox.TInteger;
                    mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
                }>>;
                memory: _sinclair_typebox.TObject<{
                    totalBytes: _sinclair_typebox.TInteger;
                    dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                        slot: _sinclair_typebox.TString;
                        sizeBytes: _sinclair_typebox.TInteger;
                        type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>>;
                }>;
                disks: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    sizeBytes: _sinclair_typebox.TInteger;
                    model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    rotational: _sinclair_typebox.TBoolean;
                    byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                    byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
                }>>;
                nics: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    mac: _sinclair_typebox.TString;
                    speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                        switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        port: _sinclair_typebox.TString;
                        portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>;
                }>>;
                board: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bios: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bmc: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                notes: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            }>, _sinclair_typebox.TNull]>;
            inventoriedAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            id: _sinclair_typebox.TString;
            systemUuid: _sinclair_typebox.TString;
            serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                site: _sinclair_typebox.TString;
                room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                rack: _sinclair_typebox.TString;
                unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                user: _sinclair_typebox.TString;
                passwordSet: _sinclair_typebox.TBoolean;
            }>, _sinclair_typebox.TNull]>;
            addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
                address: _sinclair_typebox.TString;
                prefixLength: _sinclair_typebox.TInteger;
                gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                pool: _sinclair_typebox.TString;
            }>>;
            state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            stateSince: _sinclair_typebox.TString;
            bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
            createdAt: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            version: _sinclair_typebox.TInteger;
        }>;
        readonly ifMatch: "required";
    };
    readonly transitionNode: {
        readonly id: "transitionNode";
        readonly method: "POST";
        readonly path: "/api/v1/nodes/:nodeId/transition";
        readonly summary: "Move a node to another state (maintenance, decommissioned, reinstall via bmc-configured …)";
        readonly auth: "operator";
        readonly idempotent: false;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly body: _sinclair_typebox.TObject<{
            to: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            reason: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            inventory: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                systemUuid: _sinclair_typebox.TString;
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                cpus: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    model: _sinclair_typebox.TString;
                    cores: _sinclair_typebox.TInteger;
                    threads: _sinclair_typebox.TInteger;
                    mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
                }>>;
                memory: _sinclair_typebox.TObject<{
                    totalBytes: _sinclair_typebox.TInteger;
                    dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                        slot: _sinclair_typebox.TString;
                        sizeBytes: _sinclair_typebox.TInteger;
                        type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>>;
                }>;
                disks: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    sizeBytes: _sinclair_typebox.TInteger;
                    model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    rotational: _sinclair_typebox.TBoolean;
                    byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                    byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
                }>>;
                nics: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    mac: _sinclair_typebox.TString;
                    speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                        switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        port: _sinclair_typebox.TString;
                        portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>;
                }>>;
                board: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bios: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bmc: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                notes: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            }>, _sinclair_typebox.TNull]>;
            inventoriedAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            id: _sinclair_typebox.TString;
            systemUuid: _sinclair_typebox.TString;
            serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                site: _sinclair_typebox.TString;
                room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                rack: _sinclair_typebox.TString;
                unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                user: _sinclair_typebox.TString;
                passwordSet: _sinclair_typebox.TBoolean;
            }>, _sinclair_typebox.TNull]>;
            addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
                address: _sinclair_typebox.TString;
                prefixLength: _sinclair_typebox.TInteger;
                gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                pool: _sinclair_typebox.TString;
            }>>;
            state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            stateSince: _sinclair_typebox.TString;
            bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
            createdAt: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            version: _sinclair_typebox.TInteger;
        }>;
        readonly ifMatch: "optional";
    };
    readonly resetNodeIdentity: {
        readonly id: "resetNodeIdentity";
        readonly method: "POST";
        readonly path: "/api/v1/nodes/:nodeId/identity-reset";
        readonly summary: "Forget a node's token so that its next enrolment without credentials claims it once (after a disk wipe or a database restore)";
        readonly auth: "admin";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly body: _sinclair_typebox.TObject<{
            reason: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            inventory: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                systemUuid: _sinclair_typebox.TString;
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                cpus: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    model: _sinclair_typebox.TString;
                    cores: _sinclair_typebox.TInteger;
                    threads: _sinclair_typebox.TInteger;
                    mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
                }>>;
                memory: _sinclair_typebox.TObject<{
                    totalBytes: _sinclair_typebox.TInteger;
                    dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                        slot: _sinclair_typebox.TString;
                        sizeBytes: _sinclair_typebox.TInteger;
                        type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>>;
                }>;
                disks: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    sizeBytes: _sinclair_typebox.TInteger;
                    model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    rotational: _sinclair_typebox.TBoolean;
                    byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                    byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
                }>>;
                nics: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    name: _sinclair_typebox.TString;
                    mac: _sinclair_typebox.TString;
                    speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                        switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        port: _sinclair_typebox.TString;
                        portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                        vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                    }>>;
                }>>;
                board: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bios: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                bmc: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                }>>;
                notes: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            }>, _sinclair_typebox.TNull]>;
            inventoriedAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            id: _sinclair_typebox.TString;
            systemUuid: _sinclair_typebox.TString;
            serial: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            macs: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            cluster: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            roles: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            groups: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            asn: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            location: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                site: _sinclair_typebox.TString;
                room: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                rack: _sinclair_typebox.TString;
                unit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                user: _sinclair_typebox.TString;
                passwordSet: _sinclair_typebox.TBoolean;
            }>, _sinclair_typebox.TNull]>;
            addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
                address: _sinclair_typebox.TString;
                prefixLength: _sinclair_typebox.TInteger;
                gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                pool: _sinclair_typebox.TString;
            }>>;
            state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            stateReason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            stateSince: _sinclair_typebox.TString;
            bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
            createdAt: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            version: _sinclair_typebox.TInteger;
        }>;
    };
    readonly getNodeBmcCredentials: {
        readonly id: "getNodeBmcCredentials";
        readonly method: "GET";
        readonly path: "/api/v1/nodes/:nodeId/bmc-credentials";
        readonly summary: "A node's BMC address, user and password; every read is recorded in the node's history with the reader";
        readonly auth: "admin";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
            address: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            user: _sinclair_typebox.TString;
            password: _sinclair_typebox.TString;
        }>;
    };
    readonly listNodeHistory: {
        readonly id: "listNodeHistory";
        readonly method: "GET";
        readonly path: "/api/v1/nodes/:nodeId/history";
        readonly summary: "Changes to one node, newest first";
        readonly auth: "viewer";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly query: _sinclair_typebox.TObject<{
            cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            items: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                seq: _sinclair_typebox.TInteger;
                nodeId: _sinclair_typebox.TString;
                at: _sinclair_typebox.TString;
                actor: _sinclair_typebox.TObject<{
                    kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"user">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">, _sinclair_typebox.TLiteral<"system">]>;
                    name: _sinclair_typebox.TString;
                }>;
                action: _sinclair_typebox.TString;
                reason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                before: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
                after: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
            }>>;
            nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly listHistory: {
        readonly id: "listHistory";
        readonly method: "GET";
        readonly path: "/api/v1/history";
        readonly summary: "Changes to all nodes, newest first";
        readonly auth: "viewer";
        readonly idempotent: true;
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            cursor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            limit: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            items: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                seq: _sinclair_typebox.TInteger;
                nodeId: _sinclair_typebox.TString;
                at: _sinclair_typebox.TString;
                actor: _sinclair_typebox.TObject<{
                    kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"user">, _sinclair_typebox.TLiteral<"token">, _sinclair_typebox.TLiteral<"node">, _sinclair_typebox.TLiteral<"system">]>;
                    name: _sinclair_typebox.TString;
                }>;
                action: _sinclair_typebox.TString;
                reason: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                before: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
                after: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>;
            }>>;
            nextCursor: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly submitInventory: {
        readonly id: "submitInventory";
        readonly method: "POST";
        readonly path: "/api/v1/inventory";
        readonly summary: "A live system reports its hardware; the node is found by system UUID, then by any known MAC, or created";
        readonly auth: "enroll";
        readonly idempotent: true;
        readonly status: 200;
        readonly body: _sinclair_typebox.TObject<{
            systemUuid: _sinclair_typebox.TString;
            serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            cpus: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                socket: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                model: _sinclair_typebox.TString;
                cores: _sinclair_typebox.TInteger;
                threads: _sinclair_typebox.TInteger;
                mhz: _sinclair_typebox.TOptional<_sinclair_typebox.TNumber>;
            }>>;
            memory: _sinclair_typebox.TObject<{
                totalBytes: _sinclair_typebox.TInteger;
                dimms: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                    slot: _sinclair_typebox.TString;
                    sizeBytes: _sinclair_typebox.TInteger;
                    type: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    speedMts: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                }>>>;
            }>;
            disks: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                name: _sinclair_typebox.TString;
                sizeBytes: _sinclair_typebox.TInteger;
                model: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                rotational: _sinclair_typebox.TBoolean;
                byId: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                byPath: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            }>>;
            nics: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                name: _sinclair_typebox.TString;
                mac: _sinclair_typebox.TString;
                speedMbps: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                lldp: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                    switchName: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    switchChassisId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    port: _sinclair_typebox.TString;
                    portDescription: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                    vlan: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
                }>>;
            }>>;
            board: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                manufacturer: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                product: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            }>>;
            bios: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                version: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                date: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            }>>;
            bmc: _sinclair_typebox.TOptional<_sinclair_typebox.TObject<{
                address: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                mac: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                firmware: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                vendor: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            }>>;
            notes: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
            created: _sinclair_typebox.TBoolean;
            state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            token: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly getNodeConfig: {
        readonly id: "getNodeConfig";
        readonly method: "GET";
        readonly path: "/api/v1/nodes/:nodeId/config";
        readonly summary: "The node's own configuration; BMC settings only while it is ready-for-bmc";
        readonly auth: "node";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
            state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
            hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            fqdn: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            systemDisk: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                serial: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                wwn: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                byId: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
                sizeBytes: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            }>, _sinclair_typebox.TNull]>;
            addresses: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
                purpose: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc" | "primary">[]>;
                address: _sinclair_typebox.TString;
                prefixLength: _sinclair_typebox.TInteger;
                gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                pool: _sinclair_typebox.TString;
            }>>;
            bmc: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                address: _sinclair_typebox.TString;
                prefixLength: _sinclair_typebox.TInteger;
                gateway: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                user: _sinclair_typebox.TString;
                password: _sinclair_typebox.TString;
                channel: _sinclair_typebox.TInteger;
                userId: _sinclair_typebox.TInteger;
            }>, _sinclair_typebox.TNull]>;
            pollAfterSeconds: _sinclair_typebox.TInteger;
        }>;
    };
    readonly reportNodeEvent: {
        readonly id: "reportNodeEvent";
        readonly method: "POST";
        readonly path: "/api/v1/nodes/:nodeId/events";
        readonly summary: "The node reports progress; repeating an event already applied is a no-op";
        readonly auth: "node";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
        }>;
        readonly body: _sinclair_typebox.TObject<{
            type: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"bmc-configured" | "failed" | "install-started" | "install-finished">[]>;
            reason: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            nodeId: _sinclair_typebox.TString;
            state: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>;
            bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
        }>;
    };
    readonly getBootTarget: {
        readonly id: "getBootTarget";
        readonly method: "GET";
        readonly path: "/api/v1/boot-targets/:mac";
        readonly summary: "What a PXE-booting MAC should boot: live, install or local";
        readonly auth: "public";
        readonly idempotent: true;
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            mac: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            mac: _sinclair_typebox.TString;
            nodeId: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            state: _sinclair_typebox.TUnion<[_sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>, _sinclair_typebox.TNull]>;
            bootTarget: _sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"live" | "install" | "local">[]>;
            hostname: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        }>;
    };
    readonly exportAnsibleInventory: {
        readonly id: "exportAnsibleInventory";
        readonly method: "GET";
        readonly path: "/api/v1/export/ansible";
        readonly summary: "The whole Ansible dynamic inventory document (--list) in one response";
        readonly auth: "viewer";
        readonly idempotent: true;
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            state: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<_sinclair_typebox.TLiteral<"new" | "inventoried" | "ready-for-bmc" | "bmc-configured" | "installing" | "deployed" | "maintenance" | "failed" | "decommissioned">[]>>;
            includeDecommissioned: _sinclair_typebox.TOptional<_sinclair_typebox.TBoolean>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            _meta: _sinclair_typebox.TObject<{
                hostvars: _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>>;
            }>;
            all: _sinclair_typebox.TObject<{
                hosts: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                children: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
                vars: _sinclair_typebox.TOptional<_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>>;
            }>;
        }>;
    };
};
type Operations = typeof operations;
type OperationId = keyof Operations;
declare const operationList: readonly OperationSpec[];
type StaticOf<T, K extends string> = T extends {
    [P in K]: infer S extends TSchema;
} ? Static<S> : undefined;
type OperationParams<K extends OperationId> = StaticOf<Operations[K], 'params'>;
type OperationQuery<K extends OperationId> = StaticOf<Operations[K], 'query'>;
type OperationBody<K extends OperationId> = StaticOf<Operations[K], 'body'>;
type OperationResponse<K extends OperationId> = K extends 'exportAnsibleInventory' ? AnsibleInventory : Static<Operations[K]['response']>;
declare function operationPath(path: string, params?: Record<string, string>): string;
export { ADDRESS_PURPOSES, type Actor, ActorSchema, type AddressAssignment, AddressAssignmentSchema, type AnsibleExportQuery, AnsibleExportQuerySchema, type AnsibleGroup, AnsibleGroupSchema, type AnsibleInventory, AnsibleInventorySchema, BOOT_TARGETS, type Bmc, type BmcConfig, BmcConfigSchema, type BmcCredentials, BmcCredentialsSchema, BmcSchema, type BootTarget, type BootTargetResponse, BootTargetResponseSchema, BootTargetSchema, ByIdPathSchema, type CreateTokenRequest, CreateTokenRequestSchema, type CreateUserRequest, CreateUserRequestSchema, DateTimeSchema, EmptySchema, type ErrorBody, ErrorBodySchema, FqdnSchema, type HistoryEntry, HistoryEntrySchema, HistoryPageSchema, type HistoryQuery, HistoryQuerySchema, HostnameSchema, type HttpMethod, type IdentityResetRequest, IdentityResetRequestSchema, type Inventory, InventoryBiosSchema, InventoryBmcSchema, InventoryBoardSchema, InventoryCpuSchema, InventoryDimmSchema, type InventoryDisk, InventoryDiskSchema, InventoryMemorySchema, type InventoryNic, InventoryNicSchema, type InventoryResponse, InventoryResponseSchema, InventorySchema, IpSchema, type IssuedToken, IssuedTokenSchema, LldpNeighbourSchema, type Location, LocationSchema, type LoginRequest, LoginRequestSchema, type LoginResponse, LoginResponseSchema, MACHINEDB_ERROR_STATUS, MacParamsSchema, MacSchema, type MachineDbErrorCode, NODE_EVENT_TYPES, NODE_STATES, NameSchema, type Node, type NodeConfig, NodeConfigSchema, type NodeDetail, NodeDetailSchema, type NodeEvent, type NodeEventResponse, NodeEventResponseSchema, NodeEventSchema, type NodeEventType, NodeIdParamsSchema, NodeIdSchema, type NodeListQuery, NodeListQuerySchema, NodePageSchema, NodeSchema, type NodeState, NodeStateSchema, type NodeUpdate, NodeUpdateSchema, type OperationAuth, type OperationBody, type OperationId, type OperationParams, type OperationQuery, type OperationResponse, type OperationSpec, type Operations, type Page, type PageQuery, PageQuerySchema, PageSchema, type Principal, PrincipalSchema, ROLES, type Role, RoleSchema, type SystemDiskHint, SystemDiskHintSchema, TextSchema, TokenIdParamsSchema, type TokenInfo, TokenInfoSchema, type TransitionRequest, TransitionRequestSchema, type User, UserSchema, UsernameParamsSchema, UsernameSchema, UuidSchema, operationList, operationPath, operations };
