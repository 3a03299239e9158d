export { BackupError, type BackupReport, type BackupTarget, backup, restore } from './backup.ts';
