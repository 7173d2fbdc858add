<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AdminTools</name>
    <message>
        <source>Administration</source>
        <translation>Administração</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Painel</translation>
    </message>
    <message>
        <source>Find cameras…</source>
        <translation>Procurar câmeras…</translation>
    </message>
    <message>
        <source>Zones…</source>
        <translation>Zonas…</translation>
    </message>
    <message>
        <source>Watch lists…</source>
        <translation>Listas de alerta…</translation>
    </message>
    <message>
        <source>Users…</source>
        <translation>Usuários…</translation>
    </message>
    <message>
        <source>Webhooks…</source>
        <translation>Webhooks…</translation>
    </message>
    <message>
        <source>Audit trail…</source>
        <translation>Auditoria…</translation>
    </message>
    <message>
        <source>Cities…</source>
        <translation>Cidades…</translation>
    </message>
</context>
<context>
    <name>AlarmDialog</name>
    <message>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>What was done (required)</source>
        <translation>O que foi feito (obrigatório)</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Confirmar ciência</translation>
    </message>
    <message>
        <source>%1 · %2&lt;br&gt;&lt;b&gt;%3&lt;/b&gt;: %4</source>
        <translation>%1 · %2&lt;br&gt;&lt;b&gt;%3&lt;/b&gt;: %4</translation>
    </message>
    <message>
        <source>seen %1 times at this camera</source>
        <translation>vista %1 vezes nesta câmera</translation>
    </message>
    <message>
        <source>+%1 waiting</source>
        <translation>+%1 aguardando</translation>
    </message>
    <message>
        <source>loading the plate image…</source>
        <translation>carregando a imagem da placa…</translation>
    </message>
    <message>
        <source>no image</source>
        <translation>sem imagem</translation>
    </message>
</context>
<context>
    <name>AlarmsPanel</name>
    <message>
        <source>Priority</source>
        <translation>Prioridade</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>Placa</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>Visto</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>Vezes</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <source>All priorities</source>
        <translation>Todas as prioridades</translation>
    </message>
    <message>
        <source>%1 and above</source>
        <translation>%1 ou mais</translation>
    </message>
    <message>
        <source>Filter by plate, camera or list</source>
        <translation>Filtrar por placa, câmera ou lista</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>Confirmar ciência…</translation>
    </message>
    <message>
        <source>Show camera</source>
        <translation>Ver câmera</translation>
    </message>
    <message>
        <source>Show recording</source>
        <translation>Ver gravação</translation>
    </message>
    <message>
        <source>Search plate</source>
        <translation>Buscar placa</translation>
    </message>
    <message>
        <source>open</source>
        <translation>aberto</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Confirmar ciência</translation>
    </message>
    <message>
        <source>What was done about %1 alarm(s)?</source>
        <translation>O que foi feito sobre %1 alarme(s)?</translation>
    </message>
</context>
<context>
    <name>ArchiveWindow</name>
    <message>
        <source>Recordings</source>
        <translation>Gravações</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>-10 s</source>
        <translation>-10 s</translation>
    </message>
    <message>
        <source>Bookmark…</source>
        <translation>Marcar…</translation>
    </message>
    <message>
        <source>Export clip…</source>
        <translation>Exportar clipe…</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Reproduzir</translation>
    </message>
    <message>
        <source>Nothing was recorded in this period.</source>
        <translation>Nada foi gravado neste período.</translation>
    </message>
    <message>
        <source>Save clip</source>
        <translation>Salvar clipe</translation>
    </message>
    <message>
        <source>Making the clip…</source>
        <translation>Gerando o clipe…</translation>
    </message>
    <message>
        <source>The clip could not be made: {0}</source>
        <translation>Não foi possível gerar o clipe: {0}</translation>
    </message>
    <message>
        <source>Clip saved: {0}</source>
        <translation>Clipe salvo: {0}</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>Marcador</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Descrição</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit trail</source>
        <translation>Auditoria</translation>
    </message>
    <message>
        <source>done</source>
        <translation>sucesso</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falhou</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>negado</translation>
    </message>
    <message>
        <source>any action</source>
        <translation>qualquer ação</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Ação</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Até</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quando</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>From address</source>
        <translation>Endereço de origem</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalhes</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>qualquer um</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
    <message>
        <source>The first %1 entries: narrow the filters, or export them all</source>
        <translation>Os primeiros %1 registros: restrinja os filtros ou exporte todos</translation>
    </message>
    <message>
        <source>Export audit trail</source>
        <translation>Exportar auditoria</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Arquivos CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <source>Reading…</source>
        <translation>Lendo…</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportado para %1</translation>
    </message>
</context>
<context>
    <name>CameraFinder</name>
    <message>
        <source>Added as %1</source>
        <translation>Adicionada como %1</translation>
    </message>
    <message>
        <source>Not an RTSP URL: %1</source>
        <translation>Não é uma URL RTSP: %1</translation>
    </message>
    <message>
        <source>Wrong user or password</source>
        <translation>Usuário ou senha errados</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Inacessível</translation>
    </message>
    <message>
        <source>Not an ONVIF camera</source>
        <translation>Não é uma câmera ONVIF</translation>
    </message>
    <message>
        <source>Camera clock is wrong: set its time</source>
        <translation>Relógio da câmera errado: acerte a hora dela</translation>
    </message>
    <message>
        <source>Already added</source>
        <translation>Já adicionada</translation>
    </message>
</context>
<context>
    <name>CameraFinderDialog</name>
    <message>
        <source>Find cameras</source>
        <translation>Procurar câmeras</translation>
    </message>
    <message>
        <source>every interface of the server</source>
        <translation>todas as interfaces do servidor</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Procurar</translation>
    </message>
    <message>
        <source>Interfaces (optional)</source>
        <translation>Interfaces (opcional)</translation>
    </message>
    <message>
        <source>Address ranges, where multicast is blocked</source>
        <translation>Faixas de endereços, onde o multicast é bloqueado</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Maker / model</source>
        <translation>Fabricante / modelo</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Endereço</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Add the ticked cameras</source>
        <translation>Adicionar as câmeras marcadas</translation>
    </message>
    <message>
        <source>For every camera added</source>
        <translation>Para todas as câmeras adicionadas</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zona</translation>
    </message>
    <message>
        <source>Add by ONVIF address</source>
        <translation>Adicionar pelo endereço ONVIF</translation>
    </message>
    <message>
        <source>Add by RTSP URL</source>
        <translation>Adicionar pela URL RTSP</translation>
    </message>
    <message>
        <source>RTSP URL</source>
        <translation>URL RTSP</translation>
    </message>
    <message>
        <source>Search the network</source>
        <translation>Procurar na rede</translation>
    </message>
    <message>
        <source>By address</source>
        <translation>Por endereço</translation>
    </message>
    <message>
        <source>By RTSP URL</source>
        <translation>Por URL RTSP</translation>
    </message>
    <message>
        <source>No zone</source>
        <translation>Sem zona</translation>
    </message>
    <message>
        <source>Already added</source>
        <translation>Já adicionada</translation>
    </message>
    <message numerus="yes">
        <source>%n camera(s) found</source>
        <translation>
            <numerusform>%n câmera encontrada</numerusform>
            <numerusform>%n câmeras encontradas</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 added, %2 not added</source>
        <translation>%1 adicionada(s), %2 não adicionada(s)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Procurando…</translation>
    </message>
    <message>
        <source>Tick the cameras to add</source>
        <translation>Marque as câmeras a adicionar</translation>
    </message>
    <message>
        <source>Asking the cameras…</source>
        <translation>Consultando as câmeras…</translation>
    </message>
    <message>
        <source>Type the camera&apos;s address</source>
        <translation>Digite o endereço da câmera</translation>
    </message>
    <message>
        <source>Asking the camera…</source>
        <translation>Consultando a câmera…</translation>
    </message>
    <message>
        <source>Give the camera a name and its RTSP URL</source>
        <translation>Dê um nome à câmera e a sua URL RTSP</translation>
    </message>
</context>
<context>
    <name>CameraSettings</name>
    <message>
        <source>Someone</source>
        <translation>Alguém</translation>
    </message>
    <message>
        <source>Showing their version</source>
        <translation>Mostrando a versão da outra pessoa</translation>
    </message>
</context>
<context>
    <name>CameraSettingsDialog</name>
    <message>
        <source>Enabled (streamed, recorded, read)</source>
        <translation>Ativa (transmitida, gravada, lida)</translation>
    </message>
    <message>
        <source>Ask the camera again (ONVIF)</source>
        <translation>Consultar a câmera de novo (ONVIF)</translation>
    </message>
    <message>
        <source>Profiles, stream addresses and PTZ, as the camera describes them now</source>
        <translation>Perfis, endereços dos fluxos e PTZ, como a câmera os descreve agora</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zona</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descrição</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Latitude</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Longitude</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>Streams</source>
        <translation>Fluxos</translation>
    </message>
    <message>
        <source>Read licence plates</source>
        <translation>Ler placas</translation>
    </message>
    <message>
        <source>main (sharper plates)</source>
        <translation>principal (placas mais nítidas)</translation>
    </message>
    <message>
        <source>sub (less CPU)</source>
        <translation>secundário (menos CPU)</translation>
    </message>
    <message>
        <source>Take a picture</source>
        <translation>Capturar imagem</translation>
    </message>
    <message>
        <source>Whole picture</source>
        <translation>Imagem inteira</translation>
    </message>
    <message>
        <source>Frames read</source>
        <translation>Quadros lidos</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Fluxo</translation>
    </message>
    <message>
        <source>Region read for plates (drag on the picture):</source>
        <translation>Região lida para placas (arraste sobre a imagem):</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desligada</translation>
    </message>
    <message>
        <source>continuous</source>
        <translation>contínua</translation>
    </message>
    <message>
        <source>around plate reads and alarms</source>
        <translation>em torno de leituras e alarmes</translation>
    </message>
    <message>
        <source>the city&apos;s default</source>
        <translation>o padrão da cidade</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dias</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Gravação</translation>
    </message>
    <message>
        <source>Kept before an event</source>
        <translation>Mantido antes de um evento</translation>
    </message>
    <message>
        <source>Kept after an event</source>
        <translation>Mantido depois de um evento</translation>
    </message>
    <message>
        <source>Kept for</source>
        <translation>Mantida por</translation>
    </message>
    <message>
        <source>Remove preset</source>
        <translation>Remover posição</translation>
    </message>
    <message>
        <source>Presets (set them from the PTZ pad):</source>
        <translation>Posições (defina-as no controle PTZ):</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Geral</translation>
    </message>
    <message>
        <source>Plate reading</source>
        <translation>Leitura de placas</translation>
    </message>
    <message>
        <source>PTZ</source>
        <translation>PTZ</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Salvar</translation>
    </message>
    <message>
        <source>Remove camera…</source>
        <translation>Remover câmera…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fechar</translation>
    </message>
    <message>
        <source>Camera — %1</source>
        <translation>Câmera — %1</translation>
    </message>
    <message>
        <source>No zone</source>
        <translation>Sem zona</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(inalterada)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(nenhuma)</translation>
    </message>
    <message>
        <source>The camera&apos;s picture could not be read</source>
        <translation>Não foi possível ler a imagem da câmera</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Salvo</translation>
    </message>
    <message>
        <source>nothing you see here</source>
        <translation>nada do que você vê aqui</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>Alterada enquanto isso</translation>
    </message>
    <message>
        <source>%1 changed this camera while you were editing it.</source>
        <translation>%1 alterou esta câmera enquanto você a editava.</translation>
    </message>
    <message>
        <source>They changed: %1</source>
        <translation>Alterou: %1</translation>
    </message>
    <message>
        <source>Apply my changes to theirs</source>
        <translation>Aplicar minhas alterações sobre as da outra pessoa</translation>
    </message>
    <message>
        <source>Discard mine, show theirs</source>
        <translation>Descartar as minhas, mostrar as da outra pessoa</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nome</translation>
    </message>
    <message>
        <source>zone</source>
        <translation>zona</translation>
    </message>
    <message>
        <source>description</source>
        <translation>descrição</translation>
    </message>
    <message>
        <source>latitude</source>
        <translation>latitude</translation>
    </message>
    <message>
        <source>longitude</source>
        <translation>longitude</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>ativa</translation>
    </message>
    <message>
        <source>user</source>
        <translation>usuário</translation>
    </message>
    <message>
        <source>plate reading</source>
        <translation>leitura de placas</translation>
    </message>
    <message>
        <source>frames read</source>
        <translation>quadros lidos</translation>
    </message>
    <message>
        <source>stream read</source>
        <translation>fluxo lido</translation>
    </message>
    <message>
        <source>region read</source>
        <translation>região lida</translation>
    </message>
    <message>
        <source>recording</source>
        <translation>gravação</translation>
    </message>
    <message>
        <source>kept before</source>
        <translation>mantido antes</translation>
    </message>
    <message>
        <source>kept after</source>
        <translation>mantido depois</translation>
    </message>
    <message>
        <source>kept for</source>
        <translation>mantida por</translation>
    </message>
    <message>
        <source>Latitude and longitude are numbers, e.g. -23.5505</source>
        <translation>Latitude e longitude são números, ex.: -23.5505</translation>
    </message>
    <message>
        <source>Nothing changed</source>
        <translation>Nada foi alterado</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Salvando…</translation>
    </message>
    <message>
        <source>Asking the camera…</source>
        <translation>Consultando a câmera…</translation>
    </message>
    <message>
        <source>Asking the camera for a picture…</source>
        <translation>Pedindo uma imagem à câmera…</translation>
    </message>
    <message>
        <source>Remove camera</source>
        <translation>Remover câmera</translation>
    </message>
    <message>
        <source>Remove %1? Its recordings and plate reads stay until their retention ends.</source>
        <translation>Remover %1? Suas gravações e leituras de placas ficam até o fim da retenção.</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <source>Filter cameras…</source>
        <translation>Filtrar câmeras…</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Câmeras</translation>
    </message>
    <message>
        <source>No zone</source>
        <translation>Sem zona</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Situação: %1</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>degradada</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>wrong credentials</source>
        <translation>credenciais incorretas</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconhecida</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Open in new window</source>
        <translation>Abrir em nova janela</translation>
    </message>
    <message>
        <source>Snapshot…</source>
        <translation>Capturar imagem…</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Propriedades</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Configurações…</translation>
    </message>
</context>
<context>
    <name>ConsoleController</name>
    <message>
        <source>Kiosk mode needs --server, --user and a password (keyring or env)</source>
        <translation>O modo quiosque precisa de --server, --user e uma senha (chaveiro do sistema ou variável de ambiente)</translation>
    </message>
    <message>
        <source>No saved view named %1</source>
        <translation>Nenhuma visão salva com o nome %1</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>Signed out. The next operator may sign in.</source>
        <translation>Sessão encerrada. O próximo operador pode entrar.</translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>Dashboard</source>
        <translation>Painel</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Últimos 7 dias</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Últimos 30 dias</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Atualizar</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Período</translation>
    </message>
    <message>
        <source>Plate reads</source>
        <translation>Leituras de placas</translation>
    </message>
    <message>
        <source>reads</source>
        <translation>leituras</translation>
    </message>
    <message>
        <source>Alarms by list and priority</source>
        <translation>Alarmes por lista e prioridade</translation>
    </message>
    <message>
        <source>alarms</source>
        <translation>alarmes</translation>
    </message>
    <message>
        <source>Cameras by status</source>
        <translation>Câmeras por situação</translation>
    </message>
    <message>
        <source>cameras</source>
        <translation>câmeras</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <source>fps</source>
        <translation>fps</translation>
    </message>
    <message>
        <source>Frames per second asked of the camera</source>
        <translation>Quadros por segundo pedidos à câmera</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>Quadros</translation>
    </message>
    <message>
        <source>Frames read since the camera&apos;s worker started</source>
        <translation>Quadros lidos desde que o leitor da câmera começou</translation>
    </message>
    <message>
        <source>Dropped</source>
        <translation>Descartados</translation>
    </message>
    <message>
        <source>Frames skipped because inference was behind</source>
        <translation>Quadros pulados porque a inferência estava atrasada</translation>
    </message>
    <message>
        <source>Passes</source>
        <translation>Passagens</translation>
    </message>
    <message>
        <source>Vehicle passes stored since the worker started</source>
        <translation>Passagens de veículos gravadas desde que o leitor começou</translation>
    </message>
    <message>
        <source>Plate reading on this server</source>
        <translation>Leitura de placas neste servidor</translation>
    </message>
    <message>
        <source>other cameras</source>
        <translation>outras câmeras</translation>
    </message>
    <message numerus="yes">
        <source>%n plate reads</source>
        <translation>
            <numerusform>%n leitura de placa</numerusform>
            <numerusform>%n leituras de placas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cameras reading</source>
        <translation>
            <numerusform>%n câmera lendo</numerusform>
            <numerusform>%n câmeras lendo</numerusform>
        </translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>degradadas</translation>
    </message>
    <message>
        <source>wrong credentials</source>
        <translation>credenciais incorretas</translation>
    </message>
    <message>
        <source>not yet seen</source>
        <translation>ainda não vistas</translation>
    </message>
    <message>
        <source>Now: %1 online, %2 offline, %3 degraded, %4 wrong credentials</source>
        <translation>Agora: %1 online, %2 offline, %3 degradadas, %4 com credenciais incorretas</translation>
    </message>
    <message>
        <source>Inference p50 %1 ms, p95 %2 ms; %3 frames waiting; %4 reads waiting to be stored</source>
        <translation>Inferência p50 %1 ms, p95 %2 ms; %3 quadros esperando; %4 leituras esperando para serem gravadas</translation>
    </message>
    <message>
        <source>Models: %1 on %2 (%3), %4</source>
        <translation>Modelos: %1 em %2 (%3), %4</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Atualizado às %1</translation>
    </message>
</context>
<context>
    <name>DiscoveryDialog</name>
    <message>
        <source>Add cameras</source>
        <translation>Adicionar câmeras</translation>
    </message>
    <message>
        <source>Search the network</source>
        <translation>Procurar na rede</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Adicionar</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Endereço</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message numerus="yes">
        <source>%n camera(s) found</source>
        <translation>
            <numerusform>%n câmera encontrada</numerusform>
            <numerusform>%n câmeras encontradas</numerusform>
        </translation>
    </message>
    <message>
        <source>Camera added</source>
        <translation>Câmera adicionada</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Procurando…</translation>
    </message>
    <message>
        <source>Pick a camera or type its address</source>
        <translation>Escolha uma câmera ou digite o endereço</translation>
    </message>
    <message>
        <source>Asking the camera…</source>
        <translation>Consultando a câmera…</translation>
    </message>
</context>
<context>
    <name>EventsPanel</name>
    <message>
        <source>%1  camera %2 added</source>
        <translation>%1  câmera %2 adicionada</translation>
    </message>
    <message>
        <source>%1  camera %2 changed</source>
        <translation>%1  câmera %2 alterada</translation>
    </message>
    <message>
        <source>%1  camera %2 removed</source>
        <translation>%1  câmera %2 removida</translation>
    </message>
    <message>
        <source>%1  zone %2 added</source>
        <translation>%1  zona %2 adicionada</translation>
    </message>
    <message>
        <source>%1  zone %2 changed</source>
        <translation>%1  zona %2 alterada</translation>
    </message>
    <message>
        <source>%1  zone %2 removed</source>
        <translation>%1  zona %2 removida</translation>
    </message>
    <message>
        <source>%1  watch list %2 added</source>
        <translation>%1  lista de alerta %2 adicionada</translation>
    </message>
    <message>
        <source>%1  watch list %2 changed</source>
        <translation>%1  lista de alerta %2 alterada</translation>
    </message>
    <message>
        <source>%1  watch list %2 removed</source>
        <translation>%1  lista de alerta %2 removida</translation>
    </message>
    <message>
        <source>%1  %2 at %3</source>
        <translation>%1  %2 em %3</translation>
    </message>
    <message>
        <source>%1  ALERT %2 at %3: %4</source>
        <translation>%1  ALERTA %2 em %3: %4</translation>
    </message>
    <message>
        <source>%1  alert %2 seen again at %3 (%4 times)</source>
        <translation>%1  alerta %2 visto de novo em %3 (%4 vezes)</translation>
    </message>
    <message>
        <source>%1  ALERT %2 at %3 still waits: %4</source>
        <translation>%1  ALERTA %2 em %3 ainda aguarda: %4</translation>
    </message>
    <message>
        <source>%1  alert %2 acknowledged by %3</source>
        <translation>%1  alerta %2 confirmado por %3</translation>
    </message>
    <message>
        <source>%1  %2 is now %3</source>
        <translation>%1  %2 agora está %3</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export clip</source>
        <translation>Exportar clipe</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Até</translation>
    </message>
</context>
<context>
    <name>LocalSession</name>
    <message>
        <source>This workstation</source>
        <translation>Esta estação</translation>
    </message>
    <message>
        <source>Local mode</source>
        <translation>Modo local</translation>
    </message>
    <message>
        <source>Discovery failed: %1</source>
        <translation>A busca falhou: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>GT-Vision — sign in</source>
        <translation>GT-Vision — entrar</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Entrar</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>The server address starts with http:// or https://</source>
        <translation>O endereço do servidor começa com http:// ou https://</translation>
    </message>
    <message>
        <source>Type your user and password</source>
        <translation>Digite seu usuário e senha</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Playback</source>
        <translation>Reprodução</translation>
    </message>
    <message>
        <source>Play the recordings of the cameras on the wall</source>
        <translation>Reproduzir as gravações das câmeras do mosaico</translation>
    </message>
    <message>
        <source>Alarm sound</source>
        <translation>Som de alarme</translation>
    </message>
    <message>
        <source>Sound when a watch-listed plate passes</source>
        <translation>Tocar um som quando passar uma placa monitorada</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sair</translation>
    </message>
    <message>
        <source>End your session; the wall stays open for the next operator</source>
        <translation>Encerrar a sua sessão; o mosaico fica aberto para o próximo operador</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Câmeras</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>PTZ</source>
        <translation>PTZ</translation>
    </message>
    <message>
        <source>Plate search</source>
        <translation>Busca de placas</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <source>Export plate reads</source>
        <translation>Exportar leituras de placas</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Arquivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportado para %1</translation>
    </message>
    <message>
        <source>Add cameras…</source>
        <translation>Adicionar câmeras…</translation>
    </message>
    <message>
        <source>Alarm acknowledged</source>
        <translation>Alarme confirmado</translation>
    </message>
    <message>
        <source>Events: connecting…</source>
        <translation>Eventos: conectando…</translation>
    </message>
    <message>
        <source>Events: live</source>
        <translation>Eventos: ao vivo</translation>
    </message>
    <message>
        <source>Events: reconnecting (%1)</source>
        <translation>Eventos: reconectando (%1)</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Imagem</translation>
    </message>
    <message>
        <source>Save snapshot</source>
        <translation>Salvar imagem</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <source>Maker</source>
        <translation>Fabricante</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sim</translation>
    </message>
    <message>
        <source>no</source>
        <translation>não</translation>
    </message>
    <message>
        <source>Put cameras on the wall first</source>
        <translation>Coloque câmeras no mosaico primeiro</translation>
    </message>
</context>
<context>
    <name>PlateSearchPanel</name>
    <message>
        <source>Plate, e.g. ABC1D23 or ABC</source>
        <translation>Placa, p. ex. ABC1D23 ou ABC</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>Exata</translation>
    </message>
    <message>
        <source>Starts with</source>
        <translation>Começa com</translation>
    </message>
    <message>
        <source>Similar (one character off)</source>
        <translation>Parecida (um caractere diferente)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mais</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Horário</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>Placa</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <source>Conf.</source>
        <translation>Conf.</translation>
    </message>
    <message>
        <source>How sure the reader is of the plate</source>
        <translation>Quão certo o leitor está da placa</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>Comparação</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Até</translation>
    </message>
    <message>
        <source>Double-click a read to play its recording</source>
        <translation>Clique duas vezes numa leitura para ver a gravação</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>Todas as câmeras</translation>
    </message>
    <message numerus="yes">
        <source>%n reads</source>
        <translation>
            <numerusform>%n leitura</numerusform>
            <numerusform>%n leituras</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>low</source>
        <translation>baixa</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>média</translation>
    </message>
    <message>
        <source>high</source>
        <translation>alta</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>crítica</translation>
    </message>
</context>
<context>
    <name>PtzPad</name>
    <message>
        <source>Select a PTZ camera on the wall</source>
        <translation>Selecione no mosaico uma câmera PTZ</translation>
    </message>
    <message>
        <source>Home position</source>
        <translation>Posição inicial</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Afastar zoom</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Aproximar zoom</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Posições salvas</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>Ir</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Salvar…</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>Salvar posição</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
</context>
<context>
    <name>RoiEditor</name>
    <message>
        <source>Drag a rectangle over the road where plates pass</source>
        <translation>Arraste um retângulo sobre a via por onde as placas passam</translation>
    </message>
    <message>
        <source>No picture yet</source>
        <translation>Ainda sem imagem</translation>
    </message>
</context>
<context>
    <name>ServiceError</name>
    <message>
        <source>Not allowed for your role</source>
        <translation>Não permitido para o seu perfil</translation>
    </message>
    <message>
        <source>Not found (deleted, or of another city)</source>
        <translation>Não encontrado (excluído, ou de outra cidade)</translation>
    </message>
    <message>
        <source>Changed or done by someone else meanwhile</source>
        <translation>Alterado ou já feito por outra pessoa neste meio-tempo</translation>
    </message>
    <message>
        <source>The service refused the data</source>
        <translation>O serviço recusou os dados</translation>
    </message>
    <message>
        <source>Too many requests: the service asks to wait</source>
        <translation>Pedidos demais: o serviço pede para aguardar</translation>
    </message>
    <message>
        <source>The service failed</source>
        <translation>O serviço falhou</translation>
    </message>
    <message>
        <source>The service refused</source>
        <translation>O serviço recusou</translation>
    </message>
</context>
<context>
    <name>TenantEditor</name>
    <message>
        <source>Check the fields: %1</source>
        <translation>Confira os campos: %1</translation>
    </message>
    <message>
        <source>%1 added, with its admin %2</source>
        <translation>%1 adicionada, com o administrador %2</translation>
    </message>
</context>
<context>
    <name>TenantsDialog</name>
    <message>
        <source>Cities</source>
        <translation>Cidades</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>Identificador</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>City / UF</source>
        <translation>Cidade / UF</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Kept (reads / crops / recordings)</source>
        <translation>Mantidos (leituras / recortes / gravações)</translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation>Desligar</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dias</translation>
    </message>
    <message>
        <source>Keep for</source>
        <translation>Manter por</translation>
    </message>
    <message>
        <source>reads</source>
        <translation>leituras</translation>
    </message>
    <message>
        <source>crops</source>
        <translation>recortes</translation>
    </message>
    <message>
        <source>recordings</source>
        <translation>gravações</translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation>pelo menos 10 caracteres</translation>
    </message>
    <message>
        <source>Add city</source>
        <translation>Adicionar cidade</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Cidade</translation>
    </message>
    <message>
        <source>UF</source>
        <translation>UF</translation>
    </message>
    <message>
        <source>First admin</source>
        <translation>Primeiro administrador</translation>
    </message>
    <message>
        <source>Their password</source>
        <translation>Senha dele(a)</translation>
    </message>
    <message>
        <source>on</source>
        <translation>ligada</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desligada</translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation>Ligar</translation>
    </message>
</context>
<context>
    <name>TileWidget</name>
    <message>
        <source>Empty</source>
        <translation>Vazio</translation>
    </message>
    <message>
        <source>Drag a camera here</source>
        <translation>Arraste uma câmera para cá</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Parado</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Ao vivo</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Gravado</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconectando…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Save picture…</source>
        <translation>Salvar imagem…</translation>
    </message>
    <message>
        <source>Maximise / restore</source>
        <translation>Maximizar / restaurar</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Desfazer zoom</translation>
    </message>
    <message>
        <source>PTZ mode (drag to move, wheel to zoom)</source>
        <translation>Modo PTZ (arraste para mover, roda para zoom)</translation>
    </message>
    <message>
        <source>Stop this tile&apos;s tour</source>
        <translation>Parar a ronda deste quadro</translation>
    </message>
    <message>
        <source>Tour this camera&apos;s zone here</source>
        <translation>Ronda pela zona desta câmera aqui</translation>
    </message>
    <message>
        <source>Remove from the wall</source>
        <translation>Tirar do mosaico</translation>
    </message>
    <message>
        <source>Save picture</source>
        <translation>Salvar imagem</translation>
    </message>
</context>
<context>
    <name>UserEditor</name>
    <message>
        <source>User names are 3 to 64 letters, digits, dots, dashes or @</source>
        <translation>Nomes de usuário têm de 3 a 64 letras, dígitos, pontos, hífens ou @</translation>
    </message>
    <message>
        <source>User %1 added</source>
        <translation>Usuário %1 adicionado</translation>
    </message>
    <message>
        <source>%1&apos;s role changed</source>
        <translation>Perfil de %1 alterado</translation>
    </message>
    <message>
        <source>%1 enabled</source>
        <translation>%1 ativado</translation>
    </message>
    <message>
        <source>%1 disabled: signed out everywhere</source>
        <translation>%1 desativado: sessões encerradas em todo lugar</translation>
    </message>
    <message>
        <source>%1&apos;s password reset</source>
        <translation>%1: senha redefinida</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>Usuários</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Perfil</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Último acesso</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Mudar perfil</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Desativar</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Redefinir senha…</translation>
    </message>
    <message>
        <source>at least 10 characters</source>
        <translation>pelo menos 10 caracteres</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Adicionar usuário</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nome de usuário</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nome completo</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>viewer (watches)</source>
        <translation>visualizador (assiste)</translation>
    </message>
    <message>
        <source>operator (searches, acknowledges, PTZ)</source>
        <translation>operador (pesquisa, reconhece, PTZ)</translation>
    </message>
    <message>
        <source>admin (sets the city up)</source>
        <translation>administrador (configura a cidade)</translation>
    </message>
    <message>
        <source>superadmin</source>
        <translation>superadministrador</translation>
    </message>
    <message>
        <source>active</source>
        <translation>ativo</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>desativado</translation>
    </message>
    <message>
        <source>locked (failed sign-ins)</source>
        <translation>bloqueado (tentativas de acesso)</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Ativar</translation>
    </message>
    <message>
        <source>A user name, and a password of 10 characters or more</source>
        <translation>Um nome de usuário e uma senha de 10 caracteres ou mais</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>Redefinir senha</translation>
    </message>
    <message>
        <source>New password for %1 (10 characters or more):</source>
        <translation>Nova senha para %1 (10 caracteres ou mais):</translation>
    </message>
    <message>
        <source>A password of 10 characters or more</source>
        <translation>Uma senha de 10 caracteres ou mais</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <source>GT-Vision — %1</source>
        <translation>GT-Vision — %1</translation>
    </message>
    <message>
        <source>Wall layout</source>
        <translation>Layout do mosaico</translation>
    </message>
    <message>
        <source>Wall</source>
        <translation>Mosaico</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Visões</translation>
    </message>
    <message>
        <source>Saved views</source>
        <translation>Visões salvas</translation>
    </message>
    <message>
        <source>Save view…</source>
        <translation>Salvar visão…</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Tela cheia</translation>
    </message>
    <message>
        <source>Custom layout</source>
        <translation>Layout personalizado</translation>
    </message>
    <message>
        <source>Rows x columns, e.g. 5x5</source>
        <translation>Linhas x colunas, ex.: 5x5</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Layout</translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>Salvar visão</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
</context>
<context>
    <name>WatchlistEditor</name>
    <message>
        <source>Exported to %1</source>
        <translation>Exportado para %1</translation>
    </message>
</context>
<context>
    <name>WatchlistsDialog</name>
    <message>
        <source>Watch lists</source>
        <translation>Listas de alerta</translation>
    </message>
    <message>
        <source>New list, e.g. Roubados</source>
        <translation>Nova lista, ex.: Roubados</translation>
    </message>
    <message>
        <source>Raises alarms</source>
        <translation>Gera alarmes</translation>
    </message>
    <message>
        <source>Off for lists of allowed plates</source>
        <translation>Desligado para listas de placas permitidas</translation>
    </message>
    <message>
        <source>Create list</source>
        <translation>Criar lista</translation>
    </message>
    <message>
        <source>Remove list…</source>
        <translation>Remover lista…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoria</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>Placa</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioridade</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expira</translation>
    </message>
    <message>
        <source>ABC1D23, or ABC* for a prefix</source>
        <translation>ABC1D23, ou ABC* para um prefixo</translation>
    </message>
    <message>
        <source>Add plate</source>
        <translation>Adicionar placa</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Remover selecionadas</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>Importar CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>stolen</source>
        <translation>roubados</translation>
    </message>
    <message>
        <source>wanted</source>
        <translation>procurados</translation>
    </message>
    <message>
        <source>authorised</source>
        <translation>autorizados</translation>
    </message>
    <message>
        <source>monitored</source>
        <translation>monitorados</translation>
    </message>
    <message>
        <source>other</source>
        <translation>outros</translation>
    </message>
    <message numerus="yes">
        <source>%n plates on this list</source>
        <translation>
            <numerusform>%n placa nesta lista</numerusform>
            <numerusform>%n placas nesta lista</numerusform>
        </translation>
    </message>
    <message>
        <source>Imported %1, updated %2, refused %3</source>
        <translation>Importadas %1, atualizadas %2, recusadas %3</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Linha %1: %2</translation>
    </message>
    <message>
        <source>Remove list</source>
        <translation>Remover lista</translation>
    </message>
    <message>
        <source>Remove %1 and every plate on it?</source>
        <translation>Remover %1 e todas as suas placas?</translation>
    </message>
    <message>
        <source>Type the plate</source>
        <translation>Digite a placa</translation>
    </message>
    <message>
        <source>Import plates</source>
        <translation>Importar placas</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Arquivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export plates</source>
        <translation>Exportar placas</translation>
    </message>
</context>
<context>
    <name>WebhookEditor</name>
    <message>
        <source>An http(s) URL, a secret of 16 characters or more, and event types like alert.raised</source>
        <translation>Uma URL http(s), um segredo de 16 caracteres ou mais e tipos de evento como alert.raised</translation>
    </message>
    <message>
        <source>Webhook added</source>
        <translation>Webhook adicionado</translation>
    </message>
    <message>
        <source>Sending a test event…</source>
        <translation>Enviando um evento de teste…</translation>
    </message>
    <message>
        <source>Delivered: the receiver answered HTTP %1 in %2 ms</source>
        <translation>Entregue: o receptor respondeu HTTP %1 em %2 ms</translation>
    </message>
    <message>
        <source>Not delivered (%3); the receiver answered HTTP %1 in %2 ms</source>
        <translation>Não entregue (%3); o receptor respondeu HTTP %1 em %2 ms</translation>
    </message>
    <message>
        <source>Not delivered (%3), after %2 ms</source>
        <translation>Não entregue (%3), após %2 ms</translation>
    </message>
</context>
<context>
    <name>WebhooksDialog</name>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Send a test event</source>
        <translation>Enviar um evento de teste</translation>
    </message>
    <message>
        <source>Switch on/off</source>
        <translation>Ligar/desligar</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Remover…</translation>
    </message>
    <message>
        <source>Give it to the receiver: it checks X-GTV-Signature</source>
        <translation>Entregue-o ao receptor: ele confere X-GTV-Signature</translation>
    </message>
    <message>
        <source>every event; or e.g. %1</source>
        <translation>todos os eventos; ou, ex.: %1</translation>
    </message>
    <message>
        <source>Add webhook</source>
        <translation>Adicionar webhook</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Segredo</translation>
    </message>
    <message>
        <source>on</source>
        <translation>ligado</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desligado</translation>
    </message>
    <message>
        <source>every event</source>
        <translation>todos os eventos</translation>
    </message>
    <message>
        <source>Remove webhook</source>
        <translation>Remover webhook</translation>
    </message>
    <message>
        <source>Stop sending events to %1?</source>
        <translation>Parar de enviar eventos para %1?</translation>
    </message>
</context>
<context>
    <name>ZoneEditor</name>
    <message>
        <source>Zone %1 added</source>
        <translation>Zona %1 adicionada</translation>
    </message>
</context>
<context>
    <name>ZonesDialog</name>
    <message>
        <source>Zones</source>
        <translation>Zonas</translation>
    </message>
    <message>
        <source>Zone name, e.g. Centro</source>
        <translation>Nome da zona, ex.: Centro</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Adicionar</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Renomear</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Remover…</translation>
    </message>
    <message>
        <source>Drag cameras between zones in the camera tree.</source>
        <translation>Arraste câmeras entre zonas na árvore de câmeras.</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n cameras)</source>
        <translation>
            <numerusform>%1 (%n câmera)</numerusform>
            <numerusform>%1 (%n câmeras)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (no cameras)</source>
        <translation>%1 (sem câmeras)</translation>
    </message>
    <message>
        <source>Remove zone</source>
        <translation>Remover zona</translation>
    </message>
    <message>
        <source>Remove %1? Its cameras stay, with no zone.</source>
        <translation>Remover %1? Suas câmeras ficam, sem zona.</translation>
    </message>
</context>
</TS>
