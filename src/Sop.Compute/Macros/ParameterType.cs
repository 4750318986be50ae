namespace Sop.Compute.Macros;

/// <summary>The JSON type a macro parameter takes.</summary>
public enum ParameterType
{
    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A JSON object.</summary>
    Object,

    /// <summary>A JSON array.</summary>
    Array,
}
