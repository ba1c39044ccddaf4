namespace Strata.Server.Config;

/// <summary>The input listeners of <c>[input_plugins]</c> (reference §10); every one is disabled by default.</summary>
public sealed record InputPluginOptions
{
    /// <summary>The Graphite line listener (<c>[input_plugins.graphite]</c>); default disabled.</summary>
    public GraphiteOptions Graphite { get; init; } = new();

    /// <summary>The collectd binary-protocol listener (<c>[input_plugins.collectd]</c>); default disabled.</summary>
    public CollectdOptions Collectd { get; init; } = new();

    /// <summary>The UDP JSON listener of <c>[input_plugins.udp]</c>; default disabled.</summary>
    public UdpInputOptions Udp { get; init; } = new();

    /// <summary>More UDP JSON listeners, one per <c>[[input_plugins.udp_servers]]</c> entry in file order; default none.</summary>
    public IReadOnlyList<UdpInputOptions> UdpServers { get; init; } = [];
}

/// <summary>Graphite over TCP, and UDP on the same port when <see cref="UdpEnabled"/> (reference §10.2).</summary>
public sealed record GraphiteOptions
{
    /// <summary>Whether the listener starts (<c>enabled</c>); default false.</summary>
    public bool Enabled { get; init; }

    /// <summary>Address to bind (<c>address</c>); default <see cref="StrataOptions.BindAddress"/>.</summary>
    public string Address { get; init; } = "";

    /// <summary>TCP (and UDP) port (<c>port</c>; the listener does not start without one); default 0.</summary>
    public int Port { get; init; }

    /// <summary>Existing database the points are written into (<c>database</c>); default "".</summary>
    public string Database { get; init; } = "";

    /// <summary>Also listen for UDP datagrams on the same port (<c>udp_enabled</c>); default false.</summary>
    public bool UdpEnabled { get; init; }
}

/// <summary>collectd's binary network protocol over UDP (reference §10.4).</summary>
public sealed record CollectdOptions
{
    /// <summary>Whether the listener starts (<c>enabled</c>); default false.</summary>
    public bool Enabled { get; init; }

    /// <summary>Address to bind (<c>address</c>); default <see cref="StrataOptions.BindAddress"/>.</summary>
    public string Address { get; init; } = "";

    /// <summary>UDP port (<c>port</c>; 25826 is collectd's convention, there is no default in code); default 0.</summary>
    public int Port { get; init; }

    /// <summary>Existing database the points are written into (<c>database</c>); default "".</summary>
    public string Database { get; init; } = "";

    /// <summary>Path of collectd's <c>types.db</c> (<c>typesdb</c>; the listener does not start without it); default "".</summary>
    public string TypesDb { get; init; } = "";
}

/// <summary>One UDP JSON listener on <see cref="StrataOptions.BindAddress"/> (reference §10.3).</summary>
public sealed record UdpInputOptions
{
    /// <summary>Whether the listener starts (<c>enabled</c>); default false.</summary>
    public bool Enabled { get; init; }

    /// <summary>UDP port (<c>port</c>); default 0.</summary>
    public int Port { get; init; }

    /// <summary>Existing database the points are written into (<c>database</c>); default "".</summary>
    public string Database { get; init; } = "";
}
