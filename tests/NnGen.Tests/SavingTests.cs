using System;
using System.IO;
using System.Linq;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// WeightsFile.Save and SaveForBaking replace a file in one step (a temporary file renamed over it), on both runtimes:
    /// the net8.0 build renames with File.Move, the netstandard2.1 build (Unity, Godot 4.0-4.3) with File.Replace.
    /// A save that dies midway is tested in the integration tests (a process killed by a file size limit) and in
    /// NnGen.Runtime.Tests (a write that throws).
    /// </summary>
    public sealed class SavingTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "nngen-saving-" + Guid.NewGuid().ToString("N"));

        public SavingTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private static SeedNetF Seeded(int seed)
        {
            var net = new SeedNetF();
            net.InitializeParameters(seed);
            return net;
        }

        private string[] Names() => Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

        [Fact]
        public void Saving_over_a_file_replaces_it_and_leaves_nothing_beside_it()
        {
            string path = Path.Combine(_folder, "net.nngw");
            WeightsFile.Save(Seeded(1), path);
            WeightsFile.Save(Seeded(2), path);

            var loaded = new SeedNetF();
            WeightsFile.Load(loaded, path);
            Assert.Equal(Seeded(2).Parameters.ToArray(), loaded.Parameters.ToArray());
            Assert.Equal(new[] { "net.nngw" }, Names());
        }

        [Fact]
        public void Saving_a_new_file_leaves_nothing_beside_it()
        {
            string path = Path.Combine(_folder, "new.nngw");
            WeightsFile.Save(Seeded(3), path);

            Assert.Equal(WeightsFile.Serialize(Seeded(3)), File.ReadAllBytes(path));
            Assert.Equal(new[] { "new.nngw" }, Names());
        }

        [Fact]
        public void A_relative_path_is_taken_from_the_current_folder()
        {
            string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(_folder, "relative.nngw"));
            WeightsFile.Save(Seeded(4), relative);

            Assert.Equal(WeightsFile.Serialize(Seeded(4)), File.ReadAllBytes(Path.Combine(_folder, "relative.nngw")));
            Assert.Equal(new[] { "relative.nngw" }, Names());
        }

        [Fact]
        public void Saving_into_a_missing_folder_fails_and_writes_nothing()
        {
            string path = Path.Combine(_folder, "missing", "net.nngw");
            Assert.Throws<DirectoryNotFoundException>(() => WeightsFile.Save(Seeded(1), path));
            Assert.Empty(Names());
        }

        [Fact]
        public void A_network_that_diverged_is_not_saved_over_a_good_file()
        {
            string path = Path.Combine(_folder, "net.nngw");
            WeightsFile.Save(Seeded(1), path);
            byte[] good = File.ReadAllBytes(path);
            SeedNetF diverged = Seeded(2);
            diverged.Parameters[3] = float.NaN;

            Assert.Throws<ArgumentException>(() => WeightsFile.Save(diverged, path));
            Assert.Equal(good, File.ReadAllBytes(path));
            Assert.Equal(new[] { "net.nngw" }, Names());
        }

        [Fact]
        public void A_path_that_is_a_folder_is_refused_and_the_temporary_file_removed()
        {
            string path = Path.Combine(_folder, "a-folder");
            Directory.CreateDirectory(path);

            Assert.ThrowsAny<IOException>(() => WeightsFile.Save(Seeded(1), path));
            Assert.True(Directory.Exists(path));
            Assert.Equal(new[] { "a-folder" }, Names());
        }

        [Fact]
        public void SaveForBaking_replaces_its_text_file_in_the_same_way()
        {
            string path = Path.Combine(_folder, "Digits.NnGen.Generator.additionalfile");
            WeightsFile.SaveForBaking(Seeded(1), path);
            WeightsFile.SaveForBaking(Seeded(2), path);

            Assert.Equal(WeightsFile.ToBakingText(WeightsFile.Serialize(Seeded(2))), File.ReadAllText(path));
            Assert.Equal(new[] { "Digits.NnGen.Generator.additionalfile" }, Names());
        }

#if !NNGEN_NETSTANDARD_RUNTIME
        [Fact]
        public void A_symbolic_link_is_written_through_and_stays_a_link()
        {
            string real = Path.Combine(_folder, "real.nngw"), link = Path.Combine(_folder, "link.nngw");
            WeightsFile.Save(Seeded(1), real);
            File.CreateSymbolicLink(link, real);

            WeightsFile.Save(Seeded(2), link);

            Assert.NotNull(new FileInfo(link).LinkTarget);
            Assert.Equal(WeightsFile.Serialize(Seeded(2)), File.ReadAllBytes(real));
            Assert.Equal(new[] { "link.nngw", "real.nngw" }, Names());
        }

        [Fact]
        public void The_replaced_file_keeps_its_permissions()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            string path = Path.Combine(_folder, "net.nngw");
            WeightsFile.Save(Seeded(1), path);
            const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
            File.SetUnixFileMode(path, mode);

            WeightsFile.Save(Seeded(2), path);

            Assert.Equal(mode, File.GetUnixFileMode(path));
        }
#endif
    }
}
