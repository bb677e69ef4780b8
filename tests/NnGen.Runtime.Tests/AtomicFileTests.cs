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
        public void A_null_path_is_refused_by_name()
        {
            ArgumentNullException error = Assert.Throws<ArgumentNullException>(() => AtomicFile.WriteAllBytes(null!, new byte[1]));
            Assert.Equal("path", error.ParamName);
        }
    }
}
