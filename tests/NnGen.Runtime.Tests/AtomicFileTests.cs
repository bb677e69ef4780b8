using System;
using System.IO;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The write behind WeightsFile.Save and SaveForBaking: a write that fails midway (a full disk, an I/O error) leaves the
    /// old file as it was and no temporary file. With File.WriteAllBytes the old file was truncated before the first byte.
    /// </summary>
    public sealed class AtomicFileTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "nngen-atomic-" + Guid.NewGuid().ToString("N"));

        public AtomicFileTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public void A_write_that_fails_midway_leaves_the_old_file_and_nothing_else()
        {
            string path = Path.Combine(_folder, "net.nngw");
            byte[] old = { 1, 2, 3, 4, 5, 6, 7, 8 };
            File.WriteAllBytes(path, old);

            IOException error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write(new byte[4096], 0, 4096);
                throw new IOException("No space left on device");
            }));

            Assert.Equal("No space left on device", error.Message);
            Assert.Equal(old, File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(_folder));
        }

        [Fact]
        public void A_write_that_fails_before_a_first_file_leaves_no_file()
        {
            string path = Path.Combine(_folder, "net.nngw");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException()));
            Assert.Empty(Directory.GetFileSystemEntries(_folder));
        }

        [Fact]
        public void While_it_writes_the_old_file_is_still_whole_and_the_new_bytes_are_elsewhere()
        {
            string path = Path.Combine(_folder, "net.nngw");
            byte[] old = { 9, 9, 9 };
            File.WriteAllBytes(path, old);
            string? temporary = null;

            AtomicFile.Write(path, stream =>
            {
                stream.Write(new byte[] { 1, 2 }, 0, 2);
                stream.Flush();
                Assert.Equal(old, File.ReadAllBytes(path));
                temporary = Directory.GetFiles(_folder, ".net.nngw.*.tmp") is { Length: 1 } found ? found[0] : null;
            });

            Assert.NotNull(temporary);
            Assert.False(File.Exists(temporary));
            Assert.Equal(new byte[] { 1, 2 }, File.ReadAllBytes(path));
        }

        [Fact]
        public void A_writable_file_in_a_folder_that_takes_no_new_files_is_written_in_place()
        {
            // A read-only folder holding a file the program may write: File.WriteAllBytes could save there, and so must
            // Save. The tests run as root, whom permissions do not stop, so the folder is made immutable instead (chattr +i:
            // no entry may be added, renamed or removed, while the files in it may still be written).
            string folder = Path.Combine(_folder, "fixed");
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "net.nngw");
            File.WriteAllBytes(path, new byte[] { 9, 9, 9, 9, 9, 9 });
            if (!Chattr("+i", folder))
            {
                // Without chattr (or the right to use it) there is no such folder to try: the ordinary save must still work.
                AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });
                Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
                return;
            }

            try
            {
                Assert.Throws<UnauthorizedAccessException>(() => File.WriteAllBytes(Path.Combine(folder, "probe"), new byte[1]));

                AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });

                Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
                Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(folder));

                // A new file cannot be made there at all; the error names it, not the temporary file.
                string other = Path.Combine(folder, "other.nngw");
                UnauthorizedAccessException error = Assert.Throws<UnauthorizedAccessException>(() => AtomicFile.WriteAllBytes(other, new byte[] { 1 }));
                Assert.Contains($"'{other}'", error.Message, StringComparison.Ordinal);
                Assert.Contains("does not allow new files", error.Message, StringComparison.Ordinal);
            }
            finally
            {
                Chattr("-i", folder);
            }
        }

        private static bool Chattr(string flag, string folder)
        {
            try
            {
                using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", $"{flag} \"{folder}\"")
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                })!;
                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        [Fact]
        public void A_save_deletes_the_temporary_files_that_died_saves_left_an_hour_ago_and_nothing_else()
        {
            // A game killed while it saved, again and again, left a weights-sized temporary file each time.
            string path = Path.Combine(_folder, "net.nngw");
            File.WriteAllBytes(path, new byte[] { 1 });
            string stale = Path.Combine(_folder, ".net.nngw.abcdefgh.ijk.tmp");
            string recent = Path.Combine(_folder, ".net.nngw.qrstuvwx.yz0.tmp");
            string otherFile = Path.Combine(_folder, ".other.nngw.abcdefgh.ijk.tmp");
            string notOurs = Path.Combine(_folder, ".net.nngw.backup.tmp");
            foreach (string file in new[] { stale, recent, otherFile, notOurs })
            {
                File.WriteAllBytes(file, new byte[] { 7 });
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromHours(2));
            }

            File.SetLastWriteTimeUtc(recent, DateTime.UtcNow - TimeSpan.FromMinutes(5));

            AtomicFile.WriteAllBytes(path, new byte[] { 2 });

            Assert.Equal(new byte[] { 2 }, File.ReadAllBytes(path));
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(recent));      // perhaps another process's save in progress
            Assert.True(File.Exists(otherFile));   // another path's
            Assert.True(File.Exists(notOurs));     // not a name a save makes
        }

        [Fact]
        public void A_null_path_is_refused_by_name()
        {
            ArgumentNullException error = Assert.Throws<ArgumentNullException>(() => AtomicFile.WriteAllBytes(null!, new byte[1]));
            Assert.Equal("path", error.ParamName);
        }
    }
}
