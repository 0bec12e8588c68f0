using ContrastiveNE.Data;
using PureHDF;
using PureHDF.VOL.Native;

namespace ContrastiveNE.Formats;

/// <summary>
/// Reads and writes AnnData <c>.h5ad</c> files (the HDF5 layout that anndata ≥ 0.8 and scanpy write) through PureHDF,
/// a managed HDF5 library.
/// </summary>
/// <remarks>
/// <para><b>Reading:</b> <c>X</c>, an <c>obsm</c> entry or a <c>layers</c> entry, each dense or sparse (CSR or CSC,
/// as anndata stores them: <c>data</c>, <c>indices</c>, <c>indptr</c> and a <c>shape</c> attribute), converted to a
/// float32 matrix of cells × features. Labels come from an <c>obs</c> column: categorical (codes and categories,
/// which also name the classes), strings, or integers. Row names come from the obs index.</para>
/// <para><b>Writing</b> never touches the input: <see cref="Write"/> creates a new, small AnnData file whose
/// <c>obs</c> holds the cell names (and the labels as a categorical column) and whose <c>obsm[key]</c> holds the
/// embedding — no <c>X</c>, so it is as large as the embedding. Copy the map into a full object in Python with
/// <c>adata.obsm["X_cne"] = anndata.read_h5ad("out.h5ad").obsm["X_cne"]</c>.</para>
/// </remarks>
public static class AnnDataFile
{
    /// <summary>The obsm key an embedding is written under when none is given: <c>X_cne</c>.</summary>
    public const string DefaultKey = "X_cne";

    /// <summary>Reads the matrix chosen by <paramref name="options"/> (X by default) and the labels it asks for.</summary>
    /// <param name="path">The <c>.h5ad</c> file.</param>
    /// <param name="options">Obsm or Layer (not both) and LabelColumn (an obs column) apply.</param>
    /// <exception cref="ArgumentException">A key that does not exist (the message lists those that do), or both Obsm and Layer.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable AnnData file, or its values are unusable.</exception>
    public static LoadedData Read(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= DataReadOptions.None;
        options.EnsureOnly("AnnData .h5ad", path, nameof(DataReadOptions.Obsm), nameof(DataReadOptions.Layer), nameof(DataReadOptions.LabelColumn));
        if (options.Obsm != null && options.Layer != null)
            throw new ArgumentException($"{path}: choose obsm or a layer, not both.", nameof(DataReadOptions.Layer));
        return Guard(path, () =>
        {
            using var file = Open(path);
            IH5Object source;
            string what;
            if (options.Obsm is { } obsm)
            {
                source = Child(file, "obsm", obsm, path, nameof(DataReadOptions.Obsm));
                what = $"obsm['{obsm}']";
            }
            else if (options.Layer is { } layer)
            {
                source = Child(file, "layers", layer, path, nameof(DataReadOptions.Layer));
                what = $"layers['{layer}']";
            }
            else
            {
                if (!file.LinkExists("X"))
                    throw DataError.Create(path, $"the file has no X; read an obsm entry ({List(Keys(file, "obsm"))}) or a layer ({List(Keys(file, "layers"))}).");
                source = file.Get("X");
                what = "X";
            }
            string name = $"{path}[{what}]";
            // The labels first: a wrong --label-column is found before a large matrix is decoded.
            int cells = ObsCount(file, source);
            int[]? labels = null;
            IReadOnlyList<string>? labelNames = null;
            if (options.LabelColumn is { } column)
                (labels, labelNames) = ReadLabels(file, column, cells, path);
            var matrix = ReadMatrix(source, name);
            if (matrix.Rows != cells) throw DataError.Create(name, $"holds {matrix.Rows} rows, but obs has {cells} cells.");
            DataChecks.EnsureFinite(matrix, name);
            string[]? rowNames = ReadObsNames(file, matrix.Rows, path);
            return new LoadedData(matrix, labels, labelNames, rowNames: rowNames);
        });
    }

    /// <summary>The keys of <c>obsm</c>, <c>layers</c> or <c>obs</c> (its columns) in <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.h5ad</c> file.</param>
    /// <param name="group">obsm, layers or obs.</param>
    public static IReadOnlyList<string> Keys(string path, string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Guard(path, () =>
        {
            using var file = Open(path);
            return Keys(file, group);
        });
    }

    /// <summary>
    /// Writes a new AnnData file, atomically: <c>obsm[key]</c> holds <paramref name="embedding"/>, <c>obs</c> the row
    /// names and, when given, the labels as a categorical column. The input file is never modified.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="embedding">The embedding, one row per cell.</param>
    /// <param name="options">Key (default <see cref="DefaultKey"/>), RowNames, Labels, LabelNames and LabelColumnName apply.</param>
    public static void Write(string path, Matrix embedding, DataWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(embedding);
        options ??= DataWriteOptions.None;
        int n = embedding.Rows;
        string key = options.Key ?? DefaultKey;
        if (key.Contains('/')) throw new ArgumentException($"The obsm key '{key}' must not contain '/'.", nameof(options));
        var rowNames = options.RowNames is { } names
            ? names.Count == n ? names.ToArray() : throw new ArgumentException($"{names.Count} row names for {n} rows.", nameof(options))
            : Enumerable.Range(0, n).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var obs = Group("dataframe", "0.2.0");
        obs.Attributes["_index"] = "_index";
        obs["_index"] = StringArray(rowNames);
        string[] columnOrder = [];
        if (options.Labels is { } labels)
        {
            if (labels.Length != n) throw new ArgumentException($"{labels.Length} labels for {n} rows.", nameof(options));
            string column = options.LabelColumnName;
            var (codes, categories) = Categorical(labels, options.LabelNames);
            var categorical = Group("categorical", "0.2.0");
            categorical.Attributes["ordered"] = H5Bool.FALSE; // h5py (and so anndata) reads this enum as a numpy bool
            categorical["categories"] = StringArray(categories);
            categorical["codes"] = Array(codes, [(ulong)n]);
            obs[column] = categorical;
            columnOrder = [column];
        }
        obs.Attributes["column-order"] = columnOrder;
        var var = Group("dataframe", "0.2.0");
        var.Attributes["_index"] = "_index";
        var.Attributes["column-order"] = System.Array.Empty<string>();
        var["_index"] = StringArray([]);
        var obsm = Group("dict", "0.1.0");
        obsm[key] = Array((float[])embedding.Data.Clone(), [(ulong)n, (ulong)embedding.Columns]);

        var file = new H5File
        {
            ["obs"] = obs,
            ["var"] = var,
            ["obsm"] = obsm,
            ["obsp"] = Group("dict", "0.1.0"),
            ["varm"] = Group("dict", "0.1.0"),
            ["varp"] = Group("dict", "0.1.0"),
            ["layers"] = Group("dict", "0.1.0"),
            ["uns"] = Group("dict", "0.1.0"),
        };
        file.Attributes["encoding-type"] = "anndata";
        file.Attributes["encoding-version"] = "0.1.0";
        AtomicFile.Write(path, stream =>
        {
            // PureHDF needs a seekable, readable stream; the atomic writer's file stream is write-only, so the file is
            // built in memory (it holds only the embedding and the names) and copied.
            using var memory = new MemoryStream();
            try
            {
                file.Write(memory);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new IOException($"{path}: the HDF5 library could not encode the AnnData file: {(e.InnerException ?? e).Message}", e);
            }
            memory.Position = 0;
            memory.CopyTo(stream);
        });
    }

    private static NativeFile Open(string path)
    {
        if (new FileInfo(path).Length == 0) throw DataError.Create(path, "the file is empty.");
        return H5File.OpenRead(path);
    }

    /// <summary>Turns exceptions from inside the HDF5 library into one line naming the file.</summary>
    private static T Guard<T>(string path, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not ArgumentException && !(e is InvalidDataException && e.Data.Contains(DataError.FileKey))
            && e is not OutOfMemoryException && e is not FileNotFoundException && e is not UnauthorizedAccessException)
        {
            throw DataError.Create(path, $"not a readable AnnData (.h5ad / HDF5) file: {e.Message}");
        }
    }

    private static IH5Object Child(IH5Group file, string group, string key, string path, string option)
    {
        var keys = Keys(file, group);
        if (!keys.Contains(key))
            throw new ArgumentException(keys.Count == 0
                ? $"{path}: {group} has no entry '{key}'; the file has no {group} entries."
                : $"{path}: {group} has no entry '{key}'; it holds {List(keys)}.", option);
        return file.Group(group).Get(key);
    }

    private static List<string> Keys(IH5Group file, string group)
    {
        if (!file.LinkExists(group)) return [];
        if (file.Get(group) is not IH5Group g) return [];
        if (group != "obs") return [.. g.Children().Select(c => c.Name)];
        // obs lists its columns in order in 'column-order' (an empty one is stored as a float array, so only a string
        // array counts); the index dataset is not a column.
        string index = Attribute(g, "_index") ?? "_index";
        var children = g.Children().Select(c => c.Name).Where(n => n != index).ToList();
        if (g.AttributeExists("column-order") && g.Attribute("column-order").Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength)
        {
            var order = g.Attribute("column-order").Read<string[]>();
            if (order.All(children.Contains) && order.Length == children.Count) return [.. order];
        }
        return children;
    }

    private static string List(IReadOnlyList<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys);

    /// <summary>A dense 2-D (or 1-D, as one column) dataset, or a CSR/CSC group, as a float32 matrix.</summary>
    private static Matrix ReadMatrix(IH5Object source, string name)
    {
        if (source is IH5Dataset dataset)
        {
            var dims = dataset.Space.Dimensions;
            if (dims.Length is 0 or > 2) throw DataError.Create(name, $"expected a 1-D or 2-D array, found {dims.Length} dimensions.");
            long height = (long)dims[0], width = dims.Length == 2 ? (long)dims[1] : 1;
            if (height == 0 || width == 0) throw DataError.Create(name, $"the array is empty ({height} × {width}).");
            if (height * width > System.Array.MaxLength) throw DataError.Create(name, $"the array ({height} × {width}) is too large to load.");
            var values = Numbers(dataset, name);
            return new Matrix((int)height, (int)width, values);
        }
        var group = (IH5Group)source;
        string encoding = Attribute(group, "encoding-type") ?? "";
        bool csr = encoding == "csr_matrix", csc = encoding == "csc_matrix";
        if (!csr && !csc)
            throw DataError.Create(name, encoding.Length == 0 ? "is a group, not an array or a sparse matrix." : $"is encoded as '{encoding}', not an array or a CSR/CSC sparse matrix.");
        if (!group.AttributeExists("shape")) throw DataError.Create(name, "the sparse matrix has no 'shape' attribute.");
        var shape = group.Attribute("shape").Read<long[]>();
        if (shape.Length != 2 || shape[0] <= 0 || shape[1] <= 0) throw DataError.Create(name, $"the sparse matrix shape ({string.Join(", ", shape)}) is not a non-empty 2-D shape.");
        if (shape[0] * shape[1] > System.Array.MaxLength) throw DataError.Create(name, $"the sparse matrix ({shape[0]} × {shape[1]}) is too large to load densely.");
        int rows = (int)shape[0], columns = (int)shape[1];
        foreach (string part in (string[])["data", "indices", "indptr"])
            if (!group.LinkExists(part)) throw DataError.Create(name, $"the sparse matrix has no '{part}' array.");
        var data = Numbers(group.Dataset("data"), name + "/data");
        var indices = Integers(group.Dataset("indices"), name + "/indices");
        var pointers = Integers(group.Dataset("indptr"), name + "/indptr");
        int major = csr ? rows : columns, minor = csr ? columns : rows;
        if (pointers.Length != major + 1)
            throw DataError.Create(name, $"indptr holds {pointers.Length} entries, but a {(csr ? "CSR" : "CSC")} matrix of shape ({rows}, {columns}) needs {major + 1}.");
        if (indices.Length != data.Length) throw DataError.Create(name, $"indices holds {indices.Length} entries but data {data.Length}.");
        if (pointers[0] != 0 || pointers[^1] != data.Length)
            throw DataError.Create(name, $"indptr must run from 0 to {data.Length} (the stored values), found {pointers[0]} … {pointers[^1]}.");
        var dense = new float[rows * columns];
        for (int m = 0; m < major; m++)
        {
            long from = pointers[m], to = pointers[m + 1];
            if (to < from || to > data.Length) throw DataError.Create(name, $"indptr decreases or exceeds the stored values at entry {m + 1}.");
            for (long p = from; p < to; p++)
            {
                long k = indices[p];
                if (k < 0 || k >= minor)
                {
                    throw csr
                        ? DataError.Create(name, $"the column index {k} of stored value {p} is outside the {columns} columns.", m)
                        : DataError.Create(name, $"the row index {k} of stored value {p} is outside the {rows} rows.", null, m);
                }
                if (csr) dense[(long)m * columns + k] = data[p];
                else dense[k * columns + m] = data[p];
            }
        }
        return new Matrix(rows, columns, dense);
    }

    private static float[] Numbers(IH5Dataset dataset, string name)
    {
        var type = dataset.Type;
        return (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => dataset.Read<float[]>(),
            (H5DataTypeClass.FloatingPoint, 8) => System.Array.ConvertAll(dataset.Read<double[]>(), v => (float)v),
            (H5DataTypeClass.FixedPoint, _) => System.Array.ConvertAll(Integers(dataset, name), v => (float)v),
            _ => throw DataError.Create(name, $"holds {type.Class} values of {type.Size} bytes, not numbers."),
        };
    }

    private static long[] Integers(IH5Dataset dataset, string name)
    {
        var type = dataset.Type;
        if (type.Class != H5DataTypeClass.FixedPoint) throw DataError.Create(name, $"holds {type.Class} values, not integers.");
        bool signed = type.FixedPoint.IsSigned;
        return (type.Size, signed) switch
        {
            (1, true) => System.Array.ConvertAll(dataset.Read<sbyte[]>(), v => (long)v),
            (1, false) => System.Array.ConvertAll(dataset.Read<byte[]>(), v => (long)v),
            (2, true) => System.Array.ConvertAll(dataset.Read<short[]>(), v => (long)v),
            (2, false) => System.Array.ConvertAll(dataset.Read<ushort[]>(), v => (long)v),
            (4, true) => System.Array.ConvertAll(dataset.Read<int[]>(), v => (long)v),
            (4, false) => System.Array.ConvertAll(dataset.Read<uint[]>(), v => (long)v),
            (8, true) => dataset.Read<long[]>(),
            (8, false) => System.Array.ConvertAll(dataset.Read<ulong[]>(), v => v > long.MaxValue ? -1 : (long)v),
            _ => throw DataError.Create(name, $"holds integers of {type.Size} bytes, which are not supported."),
        };
    }

    /// <summary>Fixed-length strings, or variable-length strings as h5py writes them (anndata's string arrays).</summary>
    private static bool IsText(IH5Dataset dataset)
        => dataset.Type.Class == H5DataTypeClass.String
            || (dataset.Type.Class == H5DataTypeClass.VariableLength && dataset.Type.VariableLength.BaseType.Class == H5DataTypeClass.String)
            || (dataset.Type.Class == H5DataTypeClass.VariableLength && dataset.Type.VariableLength.BaseType.Class == H5DataTypeClass.FixedPoint && dataset.Type.VariableLength.BaseType.Size == 1);

    private static string? Attribute(IH5Object obj, string attribute)
        => obj.AttributeExists(attribute) ? obj.Attribute(attribute).Read<string>() : null;

    /// <summary>The number of cells: the length of the obs index, else the first dimension of the chosen matrix.</summary>
    private static int ObsCount(IH5Group file, IH5Object source)
    {
        if (file.LinkExists("obs") && file.Get("obs") is IH5Group obs)
        {
            string indexName = Attribute(obs, "_index") ?? "_index";
            if (obs.LinkExists(indexName) && obs.Get(indexName) is IH5Dataset index && index.Space.Dimensions.Length == 1)
                return (int)index.Space.Dimensions[0];
        }
        if (source is IH5Dataset dataset && dataset.Space.Dimensions.Length > 0) return (int)dataset.Space.Dimensions[0];
        if (source is IH5Group group && group.AttributeExists("shape")) return (int)group.Attribute("shape").Read<long[]>()[0];
        return 0;
    }

    private static string[]? ReadObsNames(IH5Group file, int rows, string path)
    {
        if (!file.LinkExists("obs") || file.Get("obs") is not IH5Group obs) return null;
        string indexName = Attribute(obs, "_index") ?? "_index";
        if (!obs.LinkExists(indexName) || obs.Get(indexName) is not IH5Dataset index || !IsText(index)) return null;
        var names = index.Read<string[]>();
        if (names.Length != rows) throw DataError.Create(path, $"obs holds {names.Length} cells, but the matrix has {rows} rows.");
        return names;
    }

    private static (int[] Labels, IReadOnlyList<string>? Names) ReadLabels(IH5Group file, LabelColumn column, int rows, string path)
    {
        var columns = Keys(file, "obs");
        string? chosen = column.Name;
        if (chosen is null)
        {
            int i = column.Index < 0 ? columns.Count + column.Index : column.Index;
            if (i < 0 || i >= columns.Count)
                throw new ArgumentException($"{path}: obs has {columns.Count} columns ({List(columns)}); the label column index {column.Index} is outside them.", nameof(DataReadOptions.LabelColumn));
            chosen = columns[i];
        }
        if (!columns.Contains(chosen))
            throw new ArgumentException($"{path}: obs has no column '{chosen}'; it holds {List(columns)}.", nameof(DataReadOptions.LabelColumn));
        string name = $"{path}[obs['{chosen}']]";
        var source = file.Group("obs").Get(chosen);
        if (source is IH5Group group)
        {
            if (Attribute(group, "encoding-type") != "categorical" || !group.LinkExists("codes") || !group.LinkExists("categories"))
                throw DataError.Create(name, "is a group but not a categorical column (codes and categories).");
            var codes = Integers(group.Dataset("codes"), name + "/codes");
            var categoryData = group.Dataset("categories");
            string[] categories = IsText(categoryData)
                ? categoryData.Read<string[]>()
                : System.Array.ConvertAll(Numbers(categoryData, name + "/categories"), v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (codes.Length != rows) throw DataError.Create(name, $"holds {codes.Length} codes for {rows} rows.");
            var labels = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                if (codes[i] < 0 || codes[i] >= categories.Length)
                    throw DataError.Create(name, codes[i] == -1 ? "the label is missing (code −1); every cell needs a category." : $"the code {codes[i]} is outside the {categories.Length} categories.", i);
                labels[i] = (int)codes[i];
            }
            return (labels, categories);
        }
        var dataset = (IH5Dataset)source;
        if (IsText(dataset))
        {
            var text = dataset.Read<string[]>();
            if (text.Length != rows) throw DataError.Create(name, $"holds {text.Length} values for {rows} rows.");
            var names = text.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var code = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++) code[names[i]] = i;
            return (System.Array.ConvertAll(text, t => code[t]), names);
        }
        if (dataset.Type.Class == H5DataTypeClass.FixedPoint || (dataset.Type.Class == H5DataTypeClass.Enumerated))
        {
            var values = Integers(dataset, name);
            if (values.Length != rows) throw DataError.Create(name, $"holds {values.Length} values for {rows} rows.");
            var labels = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                if (values[i] < int.MinValue || values[i] > int.MaxValue) throw DataError.Create(name, $"the label {values[i]} is outside the 32-bit range.", i);
                labels[i] = (int)values[i];
            }
            return (labels, null);
        }
        throw DataError.Create(name, $"holds {dataset.Type.Class} values; labels need a categorical, string or integer column.");
    }

    private static (int[] Codes, string[] Categories) Categorical(int[] labels, IReadOnlyList<string>? names)
    {
        if (names != null)
        {
            foreach (int l in labels)
                if (l < 0 || l >= names.Count) throw new ArgumentException($"The label {l} has no name among the {names.Count} label names.", nameof(labels));
            return ((int[])labels.Clone(), [.. names]);
        }
        var distinct = labels.Distinct().Order().ToArray();
        var code = new Dictionary<int, int>();
        for (int i = 0; i < distinct.Length; i++) code[distinct[i]] = i;
        return (System.Array.ConvertAll(labels, l => code[l]),
            System.Array.ConvertAll(distinct, l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static H5Group Group(string encoding, string version)
    {
        var group = new H5Group();
        group.Attributes["encoding-type"] = encoding;
        group.Attributes["encoding-version"] = version;
        return group;
    }

    private static H5Dataset StringArray(string[] values)
    {
        var dataset = new H5Dataset<string[]>(values, fileDims: [(ulong)values.Length]);
        dataset.Attributes["encoding-type"] = "string-array";
        dataset.Attributes["encoding-version"] = "0.2.0";
        return dataset;
    }

    private static H5Dataset Array<T>(T[] values, ulong[] dims)
    {
        var dataset = new H5Dataset<T[]>(values, fileDims: dims);
        dataset.Attributes["encoding-type"] = "array";
        dataset.Attributes["encoding-version"] = "0.2.0";
        return dataset;
    }
}
