import { FleetError, FleetErrorOptions, Executor, Logger, ExecResult } from '@fleet/core';
type StorageErrorCode = 'STORAGE_INVALID_PROFILE' | 'STORAGE_INVALID_INVENTORY' | 'STORAGE_DISK_NOT_FOUND' | 'STORAGE_DISK_AMBIGUOUS' | 'STORAGE_INSUFFICIENT_SPACE' | 'STORAGE_STATE_UNREADABLE' | 'STORAGE_CONFLICT' | 'STORAGE_NOT_ALLOWED' | 'STORAGE_STEP_FAILED';
declare class StorageError extends FleetError {
    name: string;
    readonly code: StorageErrorCode;
    constructor(code: StorageErrorCode, message: string, options?: FleetErrorOptions);
}
interface DiskInfo {
    path: string;
    sizeBytes: number;
    model?: string;
    serial?: string;
    wwn?: string;
    rotational: boolean;
    transport?: string;
}
interface Inventory {
    hostname?: string;
    disks: DiskInfo[];
}
interface DiskSelector {
    model?: string;
    serial?: string;
    wwn?: string;
    transport?: string;
    rotational?: boolean;
    minBytes?: number;
    maxBytes?: number;
}
interface LogicalVolumeSpec {
    name: string;
    size: number | 'rest';
    mountpoint: string;
}
interface VolumeGroupSpec {
    name: string;
    disks: DiskSelector;
    minDisks?: number;
    volumes: LogicalVolumeSpec[];
}
interface PartitionFilesystemSpec {
    name: string;
    disk: DiskSelector;
    mountpoint: string;
}
interface ClusterDisksSpec {
    disks: DiskSelector | 'remaining';
    minDisks?: number;
}
type ProfileRole = 'controller' | 'compute' | 'storage' | 'custom';
interface StorageProfile {
    name: string;
    role: ProfileRole;
    systemDisk: DiskSelector;
    volumeGroups?: VolumeGroupSpec[];
    filesystems?: PartitionFilesystemSpec[];
    clusterDisks?: ClusterDisksSpec;
}
interface DiskRef {
    path: string;
    sizeBytes: number;
    model?: string;
    serial?: string;
    wwn?: string;
}
interface PartitionRef {
    disk: DiskRef;
    number: number;
    name: string;
    startBytes: number;
    sizeBytes: number;
}
interface DesiredVolume {
    name: string;
    sizeBytes: number | 'rest';
    mountpoint: string;
    label: string;
}
interface DesiredVolumeGroup {
    name: string;
    disks: DiskRef[];
    capacityBytes: number;
    volumes: DesiredVolume[];
}
interface DesiredFilesystem {
    name: string;
    partition: PartitionRef;
    mountpoint: string;
    label: string;
}
interface DesiredLayout {
    profile: string;
    role: ProfileRole;
    hostname?: string;
    systemDisk: DiskRef;
    volumeGroups: DesiredVolumeGroup[];
    filesystems: DesiredFilesystem[];
    clusterDisks: PartitionRef[];
    unused: DiskRef[];
}
declare const FLEET_MARK = "fleet";
interface RoleProfileOptions {
    systemDisk?: DiskSelector;
    dataDisks?: DiskSelector;
}
declare function controllerProfile(options?: RoleProfileOptions): StorageProfile;
declare function computeProfile(options?: RoleProfileOptions): StorageProfile;
declare function storageProfile(options?: RoleProfileOptions): StorageProfile;
declare const LVM_EXTENT_BYTES: number;
declare function gptPartitionGeometry(diskBytes: number): {
    startBytes: number;
    sizeBytes: number;
};
declare function volumeGroupCapacity(disks: readonly {
    sizeBytes: number;
}[]): number;
declare function matchesSelector(disk: DiskInfo, selector: DiskSelector): boolean;
declare function describeSelector(selector: DiskSelector): string;
declare function formatBytes(bytes: number): string;
declare function validateProfile(profile: StorageProfile): StorageProfile;
declare function planLayout(inventory: Inventory, profile: StorageProfile): DesiredLayout;
interface Signature {
    offset: number;
    type: string;
    uuid?: string;
    label?: string;
}
interface FilesystemProbe {
    type?: string;
    uuid?: string;
    label?: string;
    signatures: Signature[];
}
interface PartitionState extends FilesystemProbe {
    number: number;
    name?: string;
    startBytes: number;
    sizeBytes: number;
    path: string;
}
interface DeviceState extends FilesystemProbe {
    path: string;
    partitionTable?: string;
    partitions: PartitionState[];
}
interface PhysicalVolumeState {
    name: string;
    vgName?: string;
    vgTags: string[];
}
interface VolumeGroupState {
    name: string;
    tags: string[];
    sizeBytes: number;
    freeBytes: number;
}
interface LogicalVolumeState extends FilesystemProbe {
    name: string;
    vgName: string;
    path: string;
    sizeBytes: number;
    tags: string[];
}
interface MountState {
    target: string;
    source: string;
    fstype: string;
}
interface FstabEntry {
    spec: string;
    file: string;
    vfstype: string;
    options: string;
}
interface BlockDeviceNode {
    name: string;
    path: string;
    type: string;
    sizeBytes: number;
    model?: string;
    serial?: string;
    wwn?: string;
    rotational: boolean;
    transport?: string;
    mountpoints: string[];
    children: BlockDeviceNode[];
}
interface CurrentState {
    blockDevices: BlockDeviceNode[];
    devices: Record<string, DeviceState>;
    physicalVolumes: PhysicalVolumeState[];
    volumeGroups: VolumeGroupState[];
    logicalVolumes: LogicalVolumeState[];
    mounts: MountState[];
    fstab: FstabEntry[];
}
type PartitionPathResolver = (disk: string, partition: {
    number: number;
    startBytes: number;
    sizeBytes: number;
}) => string;
declare const defaultPartitionPath: PartitionPathResolver;
declare function parseLsblk(text: string): BlockDeviceNode[];
declare function inventoryFromLsblk(text: string, options?: {
    includeLoop?: boolean;
    hostname?: string;
}): Inventory;
declare function parseWipefs(text: string): Signature[];
declare function parseBlkid(text: string): {
    type?: string;
    uuid?: string;
    label?: string;
};
declare function parseSfdisk(text: string): {
    label: string;
    partitions: {
        number: number;
        name?: string;
        startBytes: number;
        sizeBytes: number;
    }[];
} | undefined;
declare function parsePvs(text: string): PhysicalVolumeState[];
declare function parseVgs(text: string): VolumeGroupState[];
declare function parseLvs(text: string): Omit<LogicalVolumeState, keyof FilesystemProbe>[];
declare function parseFindmnt(text: string): MountState[];
declare function parseFstab(text: string): FstabEntry[];
interface ReadStateOptions {
    devices?: readonly string[];
    partitionPath?: PartitionPathResolver;
    fstabPath?: string;
    timeoutMs?: number;
}
declare function readCurrentState(executor: Executor, options?: ReadStateOptions): Promise<CurrentState>;
type StepAction = 'wipefs' | 'sgdisk' | 'pvcreate' | 'vgcreate' | 'vgextend' | 'lvcreate' | 'mkfs.xfs' | 'mkdir' | 'mount' | 'fstab';
interface PlanStep {
    action: StepAction;
    description: string;
    command: string;
    args: string[];
    stdin?: string;
    destructive: boolean;
    disk?: string;
    systemDisk: boolean;
    foreignData?: string;
}
interface StoragePlan {
    profile: string;
    hostname?: string;
    layout: DesiredLayout;
    steps: PlanStep[];
}
interface DiffOptions {
    partitionPath?: PartitionPathResolver;
    fstabPath?: string;
    newUuid?: () => string;
}
interface DiskAssessment {
    systemDisk: boolean;
    foreign?: string;
    blank: boolean;
    orphanPv: boolean;
}
declare function assessDisk(disk: DiskRef, current: CurrentState, layout: DesiredLayout): DiskAssessment;
declare function diffLayout(desired: DesiredLayout, current: CurrentState, options?: DiffOptions): StoragePlan;
interface ApplyOptions {
    dryRun?: boolean;
    allowDestructive?: boolean;
    allowSystemDisk?: boolean;
    allowForeignData?: boolean;
    stepTimeoutMs?: number;
    logger?: Logger;
}
interface StepOutcome {
    index: number;
    step: PlanStep;
    result: ExecResult;
}
interface ApplyResult {
    dryRun: boolean;
    text: string;
    json: PlanJson;
    done: StepOutcome[];
    notDone: PlanStep[];
}
interface PlanJson {
    profile: string;
    hostname?: string;
    systemDisk: string;
    steps: Array<{
        index: number;
        action: string;
        command: string;
        description: string;
        destructive: boolean;
        systemDisk: boolean;
        foreignData?: string;
        disk?: string;
    }>;
}
declare class StorageApplyError extends StorageError {
    name: string;
    readonly done: StepOutcome[];
    readonly notDone: PlanStep[];
    readonly failedStep: PlanStep;
    constructor(message: string, done: StepOutcome[], notDone: PlanStep[], failedStep: PlanStep, cause?: unknown);
}
declare function planToJson(plan: StoragePlan): PlanJson;
declare function renderPlanText(plan: StoragePlan): string;
declare function checkPlanAllowed(plan: StoragePlan, options: ApplyOptions): void;
declare function applyPlan(executor: Executor, plan: StoragePlan, options?: ApplyOptions): Promise<ApplyResult>;
export { type ApplyOptions, type ApplyResult, type BlockDeviceNode, type ClusterDisksSpec, type CurrentState, type DesiredFilesystem, type DesiredLayout, type DesiredVolume, type DesiredVolumeGroup, type DeviceState, type DiffOptions, type DiskInfo, type DiskRef, type DiskSelector, FLEET_MARK, type FilesystemProbe, type FstabEntry, type Inventory, LVM_EXTENT_BYTES, type LogicalVolumeSpec, type LogicalVolumeState, type MountState, type PartitionFilesystemSpec, type PartitionPathResolver, type PartitionRef, type PartitionState, type PhysicalVolumeState, type PlanJson, type PlanStep, type ProfileRole, type ReadStateOptions, type RoleProfileOptions, type Signature, type StepAction, type StepOutcome, StorageApplyError, StorageError, type StorageErrorCode, type StoragePlan, type StorageProfile, type VolumeGroupSpec, type VolumeGroupState, applyPlan, assessDisk, checkPlanAllowed, computeProfile, controllerProfile, defaultPartitionPath, describeSelector, diffLayout, formatBytes, gptPartitionGeometry, inventoryFromLsblk, matchesSelector, parseBlkid, parseFindmnt, parseFstab, parseLsblk, parseLvs, parsePvs, parseSfdisk, parseVgs, parseWipefs, planLayout, planToJson, readCurrentState, renderPlanText, storageProfile, validateProfile, volumeGroupCapacity };
