using System;
using System.IO;

namespace NnGen
{
    /// <summary>
    /// Replaces a file's contents so that the path holds either the old file or the whole new one, never a part: the
    /// bytes go to a temporary file beside it, are flushed to the disk, and the temporary file is then renamed over the
    /// path. A game that saves its weights on quit, or a device that loses power while it saves, keeps the last good
    /// file; <c>File.WriteAllBytes</c> truncates the old file first and leaves a torn one.
    /// </summary>
    /// <remarks>
    /// The temporary file is named <c>.NAME.RANDOM.tmp</c>: Unity's asset importer skips names that start with a dot
    /// or end in <c>.tmp</c>, so one under Assets makes no asset. A write that fails is cleaned up; only a process that
    /// dies while it writes leaves one behind (and the old file as it was), which the next save of the path deletes once
    /// it is an hour old. Where the folder allows no new files but the
    /// file may be written, the file is written in place, as before: not atomic there.
    /// </remarks>
    internal static class AtomicFile
    {
        public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes, 0, bytes.Length));

        /// <summary>
        /// Writes the file at <paramref name="path"/> through <paramref name="write"/>; if it throws, the file at
        /// <paramref name="path"/> is as it was and the temporary file is deleted.
        /// </summary>
        public static void Write(string path, Action<Stream> write)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            string target = Target(Path.GetFullPath(path));
            string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
            string temporary = Path.Combine(folder, TemporaryPrefix(Path.GetFileName(target)) + Path.GetRandomFileName() + ".tmp");
            bool exists = File.Exists(target);
            if (exists)
            {
                // Renaming over a file needs only the folder's permission. A file the user may not write (read-only)
                // stays refused, as writing it in place refused it.
                using (new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                }
            }

            FileStream stream;
            try
            {
                stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (UnauthorizedAccessException) when (exists)
            {
                // The folder takes no new files, but the file may be written (a read-only folder of the system or of
                // another user, holding a file the program may write): write it in place, as File.WriteAllBytes did.
                WriteInPlace(target, write);
                return;
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UnauthorizedAccessException($"Access to the path '{target}' is denied: its folder does not allow new files. {e.Message}", e);
            }

            try
            {
                using (stream)
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }

#if NET8_0_OR_GREATER
                if (exists && !OperatingSystem.IsWindows())
                {
                    // The new file takes the old one's permissions, not the process's defaults.
                    File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
                }

                File.Move(temporary, target, overwrite: true);
#else
                if (exists)
                {
                    File.Replace(temporary, target, destinationBackupFileName: null, ignoreMetadataErrors: true);
                }
                else
                {
                    File.Move(temporary, target);
                }
#endif
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }

            DeleteAbandoned(folder, Path.GetFileName(target));
        }

        // How old a temporary file of this path must be before a later save takes it for the leftover of a process that
        // died while it saved: no save of a weights file takes an hour, so it is no other process's save in progress.
        private static readonly TimeSpan Abandoned = TimeSpan.FromHours(1);

        // The temporary files that saves of this path left when their process died (a game killed while it saved, on a
        // phone that reclaims it in the background, say): each the size of the file, they would pile up in the folder.
        // Only names of exactly this form (.NAME.xxxxxxxx.xxx.tmp, Path.GetRandomFileName's 8.3) are touched, and only
        // once they are an hour old. Best effort: what cannot be listed or deleted stays.
        private static void DeleteAbandoned(string folder, string name)
        {
            try
            {
                DateTime cutoff = DateTime.UtcNow - Abandoned;
                string prefix = TemporaryPrefix(name);
                foreach (string file in Directory.EnumerateFiles(folder, prefix + "*.tmp"))
                {
                    string fileName = Path.GetFileName(file);
                    string rest = fileName.Substring(Math.Min(prefix.Length, fileName.Length));
                    if (fileName.StartsWith(prefix, StringComparison.Ordinal) && rest.Length == 16 && rest[8] == '.'
                        && rest.EndsWith(".tmp", StringComparison.Ordinal) && File.GetLastWriteTimeUtc(file) < cutoff)
                    {
                        TryDelete(file);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        // The start of every temporary file name of a save of the file `name`: .NAME.RANDOM.tmp.
        private static string TemporaryPrefix(string name) => "." + name + ".";

        // Not atomic: a process that dies while it writes leaves a torn file, which WeightsFile.Load's CRC refuses.
        private static void WriteInPlace(string target, Action<Stream> write)
        {
            using var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.None);
            write(stream);
            stream.SetLength(stream.Position);
            stream.Flush(flushToDisk: true);
        }

        // A path that is a symbolic link is written through, to the file it names, as writing in place did; renaming
        // over the link would replace the link itself. (The netstandard2.1 build cannot read links and replaces it.)
        private static string Target(string path)
        {
#if NET8_0_OR_GREATER
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            }
#endif
            return path;
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
