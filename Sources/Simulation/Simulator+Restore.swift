import Foundation
import LedgerCore
import NodeAgent
import ReplicaStore

/// Disk loss at an honest county (2/6 finding 7, PROTOCOL.md §8.8): each county takes a backup on some evenings; on
/// some mornings its disk is lost and it is restored from its last backup into a new data folder, as a clerk would with
/// `fundsync restore`. What it posted after the backup and never delivered is gone with the disk; files of it still
/// travelling arrive later and must be superseded, not applied. The restored county posts nothing until its resync
/// with the hub is over; then the invariants must hold as for any other county: its books agree with the hub's, no
/// change id is used twice, no fork is raised.
extension Simulator {
    /// Morning: some counties with a backup lose their disk and are restored. Evening (`takeBackups`): backups.
    func loseDisksAndRestore() throws {
        guard configuration.faults, configuration.diskLossProbabilityPercent > 0 else { return }
        for code in codes where code != dishonest {
            guard let backup = backups[code], random.chance(configuration.diskLossProbabilityPercent), let lost = nodes[code] else { continue }
            let folder = root.appendingPathComponent("\(code.rawValue)-restored-day\(day)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: lost.directory.root.path).sorted()
            where !name.hasPrefix("replica.") && name != "quarantine" && name != "office.lock" {
                try FileManager.default.copyItem(at: lost.directory.root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
            try FileManager.default.copyItem(at: backup, to: folder.appendingPathComponent("replica.sqlite"))
            // The office reinstalls from today's package: a county still on the release before upgrades with its restore.
            if release(of: code) < FundSyncRelease.number { try upgrade(code, why: "with its restore") }
            let restored = try Node.open(directory: DataDirectory(folder.path), clock: clocks[code]!)
            try restored.store.requireResync()
            nodes[code] = restored
            backups[code] = nil
            counts.diskLosses += 1
            record("\(code) lost its disk; restored from its backup of day \(backupDays[code] ?? -1), waiting for the hub's resync answer")
        }
    }

    /// Evening: about half the counties back up their replica (the office's nightly backup, `fundsync backup`).
    func takeBackups() throws {
        guard configuration.faults, configuration.diskLossProbabilityPercent > 0 else { return }
        for code in codes where code != dishonest && random.chance(50) {
            guard let node = nodes[code] else { continue }
            let file = root.appendingPathComponent("\(code.rawValue)-backup-day\(day).sqlite")
            try node.store.backup(to: file.path)
            backups[code] = file
            backupDays[code] = day
        }
    }
}
